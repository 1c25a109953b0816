// Sums stored requests, one at a time in any order, into a UsageReport. Pure: the history query
// streams rows in, the tests feed records they made themselves.
#pragma once

#include "UsageReport.h"

#include <QHash>
#include <QMap>
#include <optional>
#include <utility>

namespace modelrelay {

class UsageAccumulator {
public:
    // The buckets are hours when the range spans two days or less, else days; both local.
    UsageAccumulator(const QDateTime &from, const QDateTime &to);

    struct Row {
        QDateTime startedAt;
        QString endpoint;
        QString clientModel;
        QString backendModel;
        bool failed = false;
        int estimatedInputTokens = 0;
        std::optional<int> inputTokens;
        std::optional<int> outputTokens;
        qint64 firstTokenMs = -1;
        qint64 durationMs = 0;
    };
    void add(const Row &row);
    UsageReport report() const;

    static bool isHourly(const QDateTime &from, const QDateTime &to);

private:
    QDateTime bucketStart(const QDateTime &local) const;

    UsageReport m_report;
    QMap<std::pair<QDate, QString>, UsageReport::ModelDay> m_modelDays;
    QHash<QString, UsageReport::Model> m_models;
    QMap<QDateTime, UsageReport::Bucket> m_buckets;
};

} // namespace modelrelay
