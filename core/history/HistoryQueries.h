// Reading the request history on a connection of its own (the window's thread, while the writer
// thread writes: SQLite's WAL lets both go on at once). Lists carry no bodies; one request's
// exchange is read when it is asked for.
#pragma once

#include "HistoryFilter.h"
#include "StoredRequest.h"
#include "UsageReport.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

class QIODevice;

namespace modelrelay {

class HistoryQueries {
public:
    explicit HistoryQueries(QString connectionName);

    // Newest first, below beforeRowId (0: from the newest), at most limit rows, no exchanges.
    QList<StoredRequest> rows(const HistoryFilter &filter, qint64 beforeRowId, int limit) const;
    // Rows above afterRowId (written since a list was read), newest first.
    QList<StoredRequest> rowsAfter(const HistoryFilter &filter, qint64 afterRowId, int limit) const;
    // One request, with its exchange when it is still kept.
    std::optional<StoredRequest> request(qint64 rowId) const;
    qint64 count(const HistoryFilter &filter) const;
    QStringList models() const;   // backend and client model names seen, sorted
    QStringList backends() const; // profile names seen, sorted

    // The usage page's figures for [from, to), summed from the stored rows.
    UsageReport usage(const QDateTime &from, const QDateTime &to) const;

    // The matching requests, oldest first, as JSON Lines: one RequestRecordExport document per
    // line (redacted, with the exchange where it is kept). Returns how many, or -1 and *error.
    qint64 exportTo(const HistoryFilter &filter, QIODevice *out, QString *error) const;

private:
    QString m_connection;
};

} // namespace modelrelay
