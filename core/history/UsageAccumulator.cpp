#include "UsageAccumulator.h"

#include <algorithm>
#include <cmath>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

UsageAccumulator::UsageAccumulator(const QDateTime &from, const QDateTime &to) {
    m_report.from = from.toLocalTime();
    m_report.to = to.toLocalTime();
    m_report.hourly = isHourly(from, to);
    // Every bucket of the range, so the chart shows quiet days as quiet rather than leaving them out.
    for (QDateTime at = bucketStart(m_report.from); at < m_report.to && m_buckets.size() < 1000;
         at = m_report.hourly ? at.addSecs(3600) : at.addDays(1))
        m_buckets.insert(at, UsageReport::Bucket{at, 0, 0});
}

bool UsageAccumulator::isHourly(const QDateTime &from, const QDateTime &to) {
    return from.secsTo(to) <= 2 * 24 * 3600;
}

QDateTime UsageAccumulator::bucketStart(const QDateTime &local) const {
    if (m_report.hourly)
        return QDateTime(local.date(), QTime(local.time().hour(), 0));
    return QDateTime(local.date(), QTime(0, 0));
}

void UsageAccumulator::add(const Row &row) {
    if (row.endpoint != "messages"_L1)
        return;
    const QDateTime local = row.startedAt.toLocalTime();
    const QString model = row.backendModel.isEmpty() ? row.clientModel : row.backendModel;
    const qint64 input = row.inputTokens.value_or(0);
    const qint64 output = row.outputTokens.value_or(0);

    ++m_report.requests;
    m_report.errors += row.failed ? 1 : 0;
    m_report.inputTokens += input;
    m_report.outputTokens += output;

    UsageReport::ModelDay &day = m_modelDays[{local.date(), model}];
    day.day = local.date();
    day.model = model;
    ++day.requests;
    day.inputTokens += input;
    day.outputTokens += output;

    const QDateTime start = bucketStart(local);
    UsageReport::Bucket &bucket = m_buckets[start];
    bucket.start = start;
    ++bucket.requests;
    bucket.errors += row.failed ? 1 : 0;

    UsageReport::Model &m = m_models[model];
    m.model = model;
    ++m.requests;
    m.errors += row.failed ? 1 : 0;
    m.inputTokens += input;
    m.outputTokens += output;
    if (!row.failed && row.firstTokenMs >= 0) {
        ++m.timedRequests;
        m.firstTokenMsSum += row.firstTokenMs;
        if (output > 0 && row.durationMs > row.firstTokenMs) {
            m.generatingMsSum += row.durationMs - row.firstTokenMs;
            m.generatedTokens += output;
        }
    }
    if (row.estimatedInputTokens > 0 && input > 0) {
        const double relative = double(row.estimatedInputTokens - input) / double(input);
        ++m.estimateSamples;
        m.estimateErrorSum += std::abs(relative);
        m.estimateBiasSum += relative;
    }
}

UsageReport UsageAccumulator::report() const {
    UsageReport report = m_report;
    report.modelDays = m_modelDays.values();
    report.buckets = m_buckets.values();
    report.models = m_models.values();
    std::sort(report.models.begin(), report.models.end(), [](const auto &a, const auto &b) {
        return a.requests != b.requests ? a.requests > b.requests : a.model < b.model;
    });
    return report;
}

} // namespace modelrelay
