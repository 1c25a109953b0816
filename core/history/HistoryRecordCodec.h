// How a request record is kept in the history database: every text that could hold a secret
// redacted first, the exchange (bodies and timed pieces) packed into one compressed blob, the
// list-valued fields as JSON text. Pure: values in, values out.
#pragma once

#include "records/RequestRecord.h"

#include <QByteArray>
#include <QString>

namespace modelrelay {

class HistoryRecordCodec {
public:
    // The record as it may be written to disk: error, warning, notes, attempt outcomes, bodies and
    // pieces with anything key-like replaced by "[redacted]".
    static RequestRecord redacted(const RequestRecord &record);

    static bool hasExchange(const RequestRecord &record);
    // Empty when the record has no exchange to keep.
    static QByteArray packExchange(const RequestRecord &record);
    // Fills the exchange fields of *record; false (record untouched) when the blob is damaged.
    static bool unpackExchange(const QByteArray &blob, RequestRecord *record);

    static QString notesToText(const QStringList &notes);
    static QStringList notesFromText(const QString &text);
    static QString attemptsToText(const QList<BackendAttempt> &attempts);
    static QList<BackendAttempt> attemptsFromText(const QString &text);
};

} // namespace modelrelay
