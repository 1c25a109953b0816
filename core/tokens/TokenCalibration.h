// Learns, per backend model, how the local token estimate compares with the prompt tokens the
// backend reported, and corrects later estimates with it (count_tokens answers, num_ctx sizing).
// Kept in an INI file when one is given, so it survives restarts.
//
// Samples far off (actual under a third or over three times the estimate) are ignored: Ollama
// reports only the prompt tokens it had to evaluate, so a prompt-cache hit says nothing about
// the tokenizer.
#pragma once

#include <QHash>
#include <QString>
#include <optional>

namespace modelrelay {

class TokenCalibration {
public:
    struct Stats {
        int samples = 0;
        double ratio = 1.0;           // actual / estimate, smoothed
        double meanAbsoluteError = 0; // of the raw estimate, as a fraction of the actual
    };

    explicit TokenCalibration(QString file = {}); // empty: kept in memory only
    ~TokenCalibration();                          // saves what was not saved yet
    TokenCalibration(const TokenCalibration &) = delete;
    TokenCalibration &operator=(const TokenCalibration &) = delete;

    void observe(const QString &model, int estimated, int actual);
    int calibrated(const QString &model, int estimate) const;
    std::optional<Stats> stats(const QString &model) const;
    const QHash<QString, Stats> &models() const { return m_models; }
    // Drops what was learned about `model` (all models when empty), in memory and in the file.
    void forget(const QString &model);

    static constexpr double kSmoothing = 0.2; // weight of the newest sample

private:
    void load();
    void save();

    QString m_file;
    QHash<QString, Stats> m_models;
    int m_unsaved = 0;
};

} // namespace modelrelay
