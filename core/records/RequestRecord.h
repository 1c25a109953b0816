// One finished request as the request log shows it; sent from the worker thread by value.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace modelrelay {

// Bytes that passed at one moment, timed from the arrival of the client's request.
struct TimedBytes {
    qint64 atMs = 0;
    QByteArray bytes;
    friend bool operator==(const TimedBytes &, const TimedBytes &) = default;
};

// One backend the request was sent to; a request that fell back has several.
struct BackendAttempt {
    QString backendName; // profile name
    QString backendModel;
    QString outcome; // "" = it answered; else why ModelRelay moved on, e.g. "HTTP 503: overloaded"
    qint64 atMs = 0; // when it was sent
    friend bool operator==(const BackendAttempt &, const BackendAttempt &) = default;
};

struct RequestRecord {
    quint64 id = 0;
    QDateTime startedAt;
    QString endpoint; // "messages" | "count_tokens"
    QString clientModel;
    QString backendModel;
    QString backendName; // profile name
    bool stream = false;
    int status = 0; // HTTP status sent to the client (200 even if a stream later failed)
    int estimatedInputTokens = 0;
    std::optional<int> inputTokens;  // backend-reported
    std::optional<int> outputTokens; // backend-reported
    qint64 timeToFirstTokenMs = -1;  // first content event sent to the client; -1 if none
    qint64 durationMs = 0;
    QString stopReason;
    QString error;     // the message the client got, empty on success
    QString warning;   // a problem that did not fail the request, e.g. a prompt Ollama will cut
    QStringList notes; // degradations: dropped fields, capped max_tokens, ...
    QString route; // the routing rule that chose the backend ("images", "long context", ...); "" = model map
    QList<BackendAttempt> attempts; // in order; the last one answered (or failed for good)
    QString tokenCountSource;       // count_tokens: "backend tokenizer" | "estimate" | "calibrated estimate"

    // The exchange as translated, for the detail view; each capped at kMaxRecordedBody bytes.
    // API keys travel in headers, which are not recorded.
    QByteArray clientRequest;        // the Anthropic request as received
    QByteArray backendRequest;       // what was sent to the backend
    QByteArray response;             // what the client received: the JSON body or the SSE events
    QList<TimedBytes> backendChunks; // the backend's answer as it was read, with times (capped in total)
    QList<TimedBytes> clientWrites;  // what was written to the client, with times (capped in total)
    static constexpr qsizetype kMaxRecordedBody = 256 * 1024;

    static void appendCapped(QByteArray &to, const QByteArray &bytes) {
        if (to.size() < kMaxRecordedBody)
            to.append(bytes.left(kMaxRecordedBody - to.size()));
    }
};

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::RequestRecord)
