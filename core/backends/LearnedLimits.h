// Output limits a backend told ModelRelay about by refusing a request (see BackendLimitParser),
// remembered per backend model so later requests are capped before they are sent. Kept in an
// INI file when one is given.
#pragma once

#include <QHash>
#include <QString>

namespace modelrelay {

class LearnedLimits {
public:
    explicit LearnedLimits(QString file = {}); // empty: kept in memory only

    int maxOutputTokens(const QString &model) const { return m_maxOutputTokens.value(model, 0); } // 0: none
    void learnMaxOutputTokens(const QString &model, int limit);
    const QHash<QString, int> &maxOutputTokensByModel() const { return m_maxOutputTokens; }
    // Drops the limits of `model` (of all models when empty), in memory and in the file.
    void forget(const QString &model);

private:
    QString m_file;
    QHash<QString, int> m_maxOutputTokens;
};

} // namespace modelrelay
