// Learns, per backend model, how the local token estimate compares with the prompt tokens the
// backend reported, and corrects later estimates with it (count_tokens answers, num_ctx sizing).
// Kept in an INI file when one is given, so it survives restarts.
//
// The ratio is actual / estimate over the recent samples, weighted by their size, and starts from
// a prior of 1 worth kPriorTokens: one small request cannot move it far (a short check request
// whose chat-template overhead doubled its count once made a 15k-token turn look like 38k).
// Ignored: prompts under kMinSampleTokens (that fixed overhead dominates them), and samples far
// off (actual under a third or over three times the estimate: Ollama reports only the prompt
// tokens it had to evaluate, so a prompt-cache hit says nothing about the tokenizer).
#pragma once

#include <QHash>
#include <QString>
#include <optional>

namespace modelrelay {

class TokenCalibration {
public:
    struct Stats {
        int samples = 0;
        double ratio = 1.0;           // actual / estimate, weighted by size, with the prior
        double meanAbsoluteError = 0; // of the raw estimate, as a fraction of the actual
        double estimatedTokens = 0;   // recent samples' estimates, older ones decayed
        double actualTokens = 0;      // their actual counts, decayed alike
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

    static constexpr double kPriorTokens = 8000;  // weight of the prior ratio of 1
    static constexpr int kMinSampleTokens = 1000; // smaller prompts are not samples
    static constexpr double kDecay = 0.95;        // per new sample: about the last 20 count

private:
    static double ratioOf(const Stats &s);
    void load();
    void save();

    QString m_file;
    QHash<QString, Stats> m_models;
    int m_unsaved = 0;
};

} // namespace modelrelay
