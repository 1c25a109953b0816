#include "RequestRecordExport.h"

#include "SecretRedactor.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay {

namespace {

QJsonValue optionalInt(const std::optional<int> &value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue millisOrNull(qint64 ms) {
    return ms >= 0 ? QJsonValue(ms) : QJsonValue(QJsonValue::Null);
}

// JSON bodies stay JSON (redacted member by member) so the file reads naturally; anything else,
// SSE streams included, is kept as text.
QJsonValue bodyValue(const QByteArray &redactedBytes) {
    if (redactedBytes.isEmpty())
        return QJsonValue::Null;
    QJsonParseError error{};
    const QJsonDocument json = QJsonDocument::fromJson(redactedBytes, &error);
    if (error.error == QJsonParseError::NoError)
        return SecretRedactor::redact(json.isArray() ? QJsonValue(json.array()) : QJsonValue(json.object()));
    return QString::fromUtf8(redactedBytes);
}

QByteArray joined(const QList<TimedBytes> &pieces) {
    QByteArray all;
    for (const TimedBytes &piece : pieces) {
        if (!RequestRecord::isOmittedMarker(piece))
            all += piece.bytes;
    }
    return all;
}

qint64 firstTime(const QList<TimedBytes> &pieces) {
    for (const TimedBytes &piece : pieces) {
        if (!RequestRecord::isOmittedMarker(piece))
            return piece.atMs;
    }
    return -1;
}

QJsonArray piecesJson(const QList<TimedBytes> &pieces) {
    QJsonArray out;
    for (const TimedBytes &piece : pieces) {
        if (RequestRecord::isOmittedMarker(piece)) {
            out.append(QJsonObject{{QStringLiteral("omittedBytes"), RequestRecord::omittedBytes(piece)}});
            continue;
        }
        const QString text = QString::fromUtf8(piece.bytes);
        QJsonObject entry{{QStringLiteral("atMs"), piece.atMs}, {QStringLiteral("text"), text}};
        // A multi-byte character split between two reads is not valid UTF-8 on its own.
        if (text.toUtf8() != piece.bytes)
            entry.insert(QStringLiteral("base64"), QString::fromLatin1(piece.bytes.toBase64()));
        out.append(entry);
    }
    return out;
}

QJsonArray eventsJson(const QList<TimedSseEvent> &events) {
    QJsonArray out;
    for (const TimedSseEvent &event : events) {
        QJsonObject entry;
        if (event.atMs >= 0)
            entry.insert(QStringLiteral("atMs"), event.atMs);
        entry.insert(QStringLiteral("event"), event.event);
        const QJsonValue data = bodyValue(event.data);
        entry.insert(QStringLiteral("data"), data.isNull() ? QJsonValue(QString()) : data);
        out.append(entry);
    }
    return out;
}

QJsonObject metadata(const RequestRecord &r) {
    return QJsonObject{
        {QStringLiteral("id"), QString::number(r.id)},
        {QStringLiteral("startedAt"), r.startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("endpoint"), r.endpoint},
        {QStringLiteral("clientModel"), r.clientModel},
        {QStringLiteral("backendName"), r.backendName},
        {QStringLiteral("backendModel"), r.backendModel},
        {QStringLiteral("route"), r.route},
        {QStringLiteral("stream"), r.stream},
        {QStringLiteral("status"), r.status},
        {QStringLiteral("estimatedInputTokens"), r.estimatedInputTokens},
        {QStringLiteral("inputTokens"), optionalInt(r.inputTokens)},
        {QStringLiteral("outputTokens"), optionalInt(r.outputTokens)},
        {QStringLiteral("tokenCountSource"), r.tokenCountSource},
        {QStringLiteral("stopReason"), r.stopReason},
        {QStringLiteral("error"), QString::fromUtf8(SecretRedactor::redact(r.error.toUtf8()))},
        {QStringLiteral("warning"), QString::fromUtf8(SecretRedactor::redact(r.warning.toUtf8()))},
    };
}

} // namespace

QList<TimedSseEvent> RequestRecordExport::splitEvents(const QList<TimedBytes> &pieces) {
    QList<TimedSseEvent> events;
    QByteArray pending;
    for (const TimedBytes &piece : pieces) {
        if (RequestRecord::isOmittedMarker(piece))
            continue;
        pending += piece.bytes;
        pending.replace("\r\n", "\n");
        qsizetype end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
            const QByteArray block = pending.left(end);
            pending.remove(0, end + 2);
            TimedSseEvent event;
            event.atMs = piece.atMs;
            bool hasField = false;
            QList<QByteArray> dataLines;
            for (const QByteArray &line : block.split('\n')) {
                if (line.startsWith("event:")) {
                    event.event = QString::fromUtf8(line.mid(6).trimmed());
                    hasField = true;
                } else if (line.startsWith("data:")) {
                    QByteArray value = line.mid(5);
                    if (value.startsWith(' '))
                        value.remove(0, 1);
                    dataLines.append(value);
                    hasField = true;
                }
            }
            event.data = dataLines.join('\n');
            if (hasField)
                events.append(event);
        }
    }
    return events;
}

QJsonObject RequestRecordExport::toJson(const RequestRecord &record) {
    const QList<TimedBytes> backendChunks = SecretRedactor::redactTimed(record.backendChunks);
    // Answers ProxyServer gives itself (errors before a backend call, count_tokens) have no
    // timed writes: the response is all there is, and its events have no times. (It cannot pose
    // as a write timed -1: that is the omission marker.)
    const bool timedWrites = !record.clientWrites.isEmpty();
    const QList<TimedBytes> clientWrites =
        timedWrites ? SecretRedactor::redactTimed(record.clientWrites) : QList<TimedBytes>{};
    const QByteArray clientResponse =
        timedWrites ? joined(clientWrites) : SecretRedactor::redact(record.response);
    QList<TimedSseEvent> clientEvents =
        splitEvents(timedWrites ? clientWrites : QList<TimedBytes>{TimedBytes{0, clientResponse}});
    if (!timedWrites) {
        for (TimedSseEvent &event : clientEvents)
            event.atMs = -1;
    }

    QJsonArray attempts;
    for (const BackendAttempt &attempt : record.attempts)
        attempts.append(QJsonObject{{QStringLiteral("backendName"), attempt.backendName},
                                    {QStringLiteral("backendModel"), attempt.backendModel},
                                    {QStringLiteral("outcome"), attempt.outcome},
                                    {QStringLiteral("atMs"), attempt.atMs}});
    const QJsonObject timings{
        {QStringLiteral("firstBackendByteMs"), millisOrNull(firstTime(backendChunks))},
        {QStringLiteral("firstClientWriteMs"), millisOrNull(firstTime(clientWrites))},
        {QStringLiteral("timeToFirstTokenMs"), millisOrNull(record.timeToFirstTokenMs)},
        {QStringLiteral("durationMs"), record.durationMs},
    };
    const QJsonObject bodies{
        {QStringLiteral("clientRequest"), bodyValue(SecretRedactor::redact(record.clientRequest))},
        {QStringLiteral("backendRequest"), bodyValue(SecretRedactor::redact(record.backendRequest))},
        {QStringLiteral("backendResponse"), bodyValue(joined(backendChunks))},
        {QStringLiteral("clientResponse"), bodyValue(clientResponse)},
    };
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("modelrelay-request")},
        {QStringLiteral("formatVersion"), kFormatVersion},
        {QStringLiteral("modelrelayVersion"), QStringLiteral(MODELRELAY_VERSION)},
        {QStringLiteral("request"), metadata(record)},
        {QStringLiteral("timings"), timings},
        {QStringLiteral("attempts"), attempts},
        {QStringLiteral("notes"), SecretRedactor::redact(QJsonArray::fromStringList(record.notes))},
        {QStringLiteral("bodies"), bodies},
        {QStringLiteral("backendChunks"), piecesJson(backendChunks)},
        {QStringLiteral("clientWrites"), piecesJson(clientWrites)},
        {QStringLiteral("clientEvents"), eventsJson(clientEvents)},
    };
}

QByteArray RequestRecordExport::toFileContents(const RequestRecord &record) {
    return QJsonDocument(toJson(record)).toJson(QJsonDocument::Indented);
}

QString RequestRecordExport::suggestedFileName(const RequestRecord &record) {
    return QStringLiteral("modelrelay-request-%1.json").arg(record.id);
}

} // namespace modelrelay
