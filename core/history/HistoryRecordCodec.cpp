#include "HistoryRecordCodec.h"

#include "records/SecretRedactor.h"

#include <QDataStream>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr quint32 kExchangeMagic = 0x4d524831; // "MRH1"

QString redactedText(const QString &text) {
    return text.isEmpty() ? text : QString::fromUtf8(SecretRedactor::redact(text.toUtf8()));
}

void writePieces(QDataStream &out, const QList<TimedBytes> &pieces) {
    out << quint32(pieces.size());
    for (const TimedBytes &piece : pieces)
        out << qint64(piece.atMs) << piece.bytes;
}

bool readPieces(QDataStream &in, QList<TimedBytes> *pieces) {
    quint32 count = 0;
    in >> count;
    if (in.status() != QDataStream::Ok || count > 1'000'000)
        return false;
    pieces->clear();
    pieces->reserve(count);
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        TimedBytes piece;
        in >> piece.atMs >> piece.bytes;
        pieces->append(piece);
    }
    return in.status() == QDataStream::Ok;
}

} // namespace

RequestRecord HistoryRecordCodec::redacted(const RequestRecord &record) {
    RequestRecord r = record;
    r.error = redactedText(r.error);
    r.warning = redactedText(r.warning);
    for (QString &note : r.notes)
        note = redactedText(note);
    for (BackendAttempt &attempt : r.attempts)
        attempt.outcome = redactedText(attempt.outcome);
    r.clientRequest = SecretRedactor::redact(r.clientRequest);
    r.backendRequest = SecretRedactor::redact(r.backendRequest);
    r.response = SecretRedactor::redact(r.response);
    r.backendChunks = SecretRedactor::redactTimed(r.backendChunks);
    r.clientWrites = SecretRedactor::redactTimed(r.clientWrites);
    return r;
}

bool HistoryRecordCodec::hasExchange(const RequestRecord &record) {
    return !record.clientRequest.isEmpty() || !record.backendRequest.isEmpty() ||
           !record.response.isEmpty() || !record.backendChunks.isEmpty() || !record.clientWrites.isEmpty();
}

QByteArray HistoryRecordCodec::packExchange(const RequestRecord &record) {
    if (!hasExchange(record))
        return {};
    QByteArray raw;
    QDataStream out(&raw, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kExchangeMagic << record.clientRequest << record.backendRequest << record.response;
    writePieces(out, record.backendChunks);
    writePieces(out, record.clientWrites);
    // JSON and SSE compress 5-10 times: more history fits the size the user allowed.
    return qCompress(raw, 6);
}

bool HistoryRecordCodec::unpackExchange(const QByteArray &blob, RequestRecord *record) {
    const QByteArray raw = qUncompress(blob);
    if (raw.isEmpty())
        return false;
    QDataStream in(raw);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    RequestRecord r;
    in >> magic >> r.clientRequest >> r.backendRequest >> r.response;
    if (magic != kExchangeMagic || in.status() != QDataStream::Ok || !readPieces(in, &r.backendChunks) ||
        !readPieces(in, &r.clientWrites))
        return false;
    record->clientRequest = r.clientRequest;
    record->backendRequest = r.backendRequest;
    record->response = r.response;
    record->backendChunks = r.backendChunks;
    record->clientWrites = r.clientWrites;
    return true;
}

QString HistoryRecordCodec::notesToText(const QStringList &notes) {
    return notes.isEmpty()
               ? QString()
               : QString::fromUtf8(
                     QJsonDocument(QJsonArray::fromStringList(notes)).toJson(QJsonDocument::Compact));
}

QStringList HistoryRecordCodec::notesFromText(const QString &text) {
    QStringList notes;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array)
        notes.append(value.toString());
    return notes;
}

QString HistoryRecordCodec::attemptsToText(const QList<BackendAttempt> &attempts) {
    if (attempts.isEmpty())
        return {};
    QJsonArray array;
    for (const BackendAttempt &a : attempts)
        array.append(QJsonObject{{u"backend"_s, a.backendName},
                                 {u"model"_s, a.backendModel},
                                 {u"outcome"_s, a.outcome},
                                 {u"at_ms"_s, a.atMs}});
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<BackendAttempt> HistoryRecordCodec::attemptsFromText(const QString &text) {
    QList<BackendAttempt> attempts;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        attempts.append({o.value("backend"_L1).toString(), o.value("model"_L1).toString(),
                         o.value("outcome"_L1).toString(), o.value("at_ms"_L1).toInteger()});
    }
    return attempts;
}

} // namespace modelrelay
