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

    // The backend the request fell back from (the first one tried), or "" when every attempt went
    // to the same backend and model: sending again there (max_tokens capped) is a retry.
    QString fellBackFrom() const {
        for (const BackendAttempt &a : attempts) {
            if (a.backendName != attempts.constLast().backendName ||
                a.backendModel != attempts.constLast().backendModel)
                return attempts.constFirst().backendName;
        }
        return {};
    }
    int retries() const { // attempts sent again to the backend and model just tried
        int count = 0;
        for (qsizetype i = 1; i < attempts.size(); ++i)
            count += attempts[i].backendName == attempts[i - 1].backendName &&
                     attempts[i].backendModel == attempts[i - 1].backendModel;
        return count;
    }
    QString tokenCountSource; // count_tokens: "backend tokenizer" | "estimate" | "calibrated estimate"

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

    // Past the cap a timed list ends in one marker entry: atMs = kOmittedMarker and bytes = how
    // many bytes were left out, in decimal, so a viewer can say so instead of showing a silent cut.
    static constexpr qint64 kOmittedMarker = -1;
    static bool isOmittedMarker(const TimedBytes &entry) { return entry.atMs == kOmittedMarker; }
    static qint64 omittedBytes(const TimedBytes &entry) {
        return isOmittedMarker(entry) ? entry.bytes.toLongLong() : 0;
    }
    // Runs per relayed chunk: shares the bytes (no copy below the cap) and counts the kept bytes
    // in the caller's recordedBytes instead of summing the list each time.
    static void appendTimedCapped(QList<TimedBytes> &to, qsizetype &recordedBytes, qint64 atMs,
                                  const QByteArray &bytes) {
        if (bytes.isEmpty())
            return;
        const qsizetype room = kMaxRecordedBody - recordedBytes;
        if (bytes.size() <= room) {
            to.append(TimedBytes{atMs, bytes});
            recordedBytes += bytes.size();
            return;
        }
        if (room > 0) {
            to.append(TimedBytes{atMs, bytes.left(room)});
            recordedBytes = kMaxRecordedBody;
        }
        const qint64 left = bytes.size() - qMax<qsizetype>(room, 0);
        if (!to.isEmpty() && isOmittedMarker(to.constLast()))
            to.last().bytes = QByteArray::number(omittedBytes(to.constLast()) + left);
        else
            to.append(TimedBytes{kOmittedMarker, QByteArray::number(left)});
    }
};

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::RequestRecord)
