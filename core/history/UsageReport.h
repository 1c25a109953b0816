// What the usage page shows for a time range, summed from the stored requests (messages only;
// count_tokens calls are not model requests): tokens in and out per model per day, requests and
// errors per day (per hour for ranges up to two days), and per model the time to first token,
// generation speed and how far ModelRelay's token estimate was from what the backend counted.
#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

namespace modelrelay {

struct UsageReport {
    struct ModelDay {
        QDate day; // local
        QString model;
        int requests = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
    };
    struct Bucket {
        QDateTime start; // local; a day or an hour
        int requests = 0;
        int errors = 0;
    };
    struct Model {
        QString model; // the backend model, or the client's name when no backend model was chosen
        int requests = 0;
        int errors = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        int timedRequests = 0; // succeeded with a first token
        qint64 firstTokenMsSum = 0;
        qint64 generatingMsSum = 0;  // from first token to the end, over requests with output tokens
        qint64 generatedTokens = 0;  // output tokens of those requests
        int estimateSamples = 0;     // requests with both an estimate and a backend count
        double estimateErrorSum = 0; // |estimate - counted| / counted
        double estimateBiasSum = 0;  // (estimate - counted) / counted: below 0 means under-estimated

        double meanFirstTokenMs() const {
            return timedRequests > 0 ? double(firstTokenMsSum) / timedRequests : -1;
        }
        double tokensPerSecond() const {
            return generatingMsSum > 0 ? generatedTokens * 1000.0 / generatingMsSum : -1;
        }
        double meanEstimateError() const {
            return estimateSamples > 0 ? estimateErrorSum / estimateSamples : -1;
        }
        double meanEstimateBias() const {
            return estimateSamples > 0 ? estimateBiasSum / estimateSamples : 0;
        }
    };

    QDateTime from; // local
    QDateTime to;
    bool hourly = false;
    QList<ModelDay> modelDays; // by day, then model
    QList<Bucket> buckets;     // every bucket of the range, empty ones included
    QList<Model> models;       // by requests, most first
    int requests = 0;
    int errors = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
};

} // namespace modelrelay
