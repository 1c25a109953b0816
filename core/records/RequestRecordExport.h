// A request record as one self-contained JSON document for a bug report: metadata, attempts,
// the four bodies, the backend's chunks and the client's events with their times, every
// key-like value redacted. The request inspector shows the same document, so what a user sees
// is what they attach.
#pragma once

#include "RequestRecord.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace modelrelay {

// One server-sent event as it reached the client.
struct TimedSseEvent {
    qint64 atMs = -1; // when its last byte was written; -1 when the times were not recorded
    QString event;
    QByteArray data;
    friend bool operator==(const TimedSseEvent &, const TimedSseEvent &) = default;
};

class RequestRecordExport {
public:
    static constexpr int kFormatVersion = 1;

    static QJsonObject toJson(const RequestRecord &record);
    static QByteArray toFileContents(const RequestRecord &record); // indented UTF-8 JSON
    static QString suggestedFileName(const RequestRecord &record); // modelrelay-request-<id>.json

    // Splits an SSE stream written in pieces into its events (blank-line separated, CRLF or LF);
    // an event spanning pieces gets the time of the piece that completed it. Omission markers
    // are skipped; an unfinished last event is dropped.
    static QList<TimedSseEvent> splitEvents(const QList<TimedBytes> &pieces);
};

} // namespace modelrelay
