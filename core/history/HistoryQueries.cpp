#include "HistoryQueries.h"

#include "HistoryRecordCodec.h"
#include "UsageAccumulator.h"
#include "records/RequestRecordExport.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

const QString kColumns =
    u"id, started_at, endpoint, client_model, backend_model, backend_name, stream, status, estimated_input, "
    "input_tokens, output_tokens, first_token_ms, duration_ms, stop_reason, error, warning, notes, route, "
    "attempts, "
    "token_count_source, run_id, EXISTS (SELECT 1 FROM exchanges WHERE request_id = requests.id)"_s;

struct Where {
    QString sql; // "" or " WHERE …"
    QVariantList values;
};

QString likePattern(const QString &text) {
    QString escaped = text;
    escaped.replace(u'\\', "\\\\"_L1).replace(u'%', "\\%"_L1).replace(u'_', "\\_"_L1);
    return u'%' + escaped + u'%';
}

Where whereFor(const HistoryFilter &filter, const QStringList &extra = {},
               const QVariantList &extraValues = {}) {
    QStringList terms = extra;
    QVariantList values = extraValues;
    if (filter.from.isValid()) {
        terms << u"started_at >= ?"_s;
        values << filter.from.toMSecsSinceEpoch();
    }
    if (filter.to.isValid()) {
        terms << u"started_at < ?"_s;
        values << filter.to.toMSecsSinceEpoch();
    }
    if (!filter.model.isEmpty()) {
        terms << u"(backend_model = ? OR client_model = ?)"_s;
        values << filter.model << filter.model;
    }
    if (!filter.backend.isEmpty()) {
        terms << u"backend_name = ?"_s;
        values << filter.backend;
    }
    if (filter.outcome == HistoryFilter::Outcome::Succeeded)
        terms << u"failed = 0"_s;
    else if (filter.outcome == HistoryFilter::Outcome::Failed)
        terms << u"failed = 1"_s;
    const QString text = filter.text.trimmed();
    if (!text.isEmpty()) {
        const QStringList searched{u"error"_s,         u"warning"_s,     u"notes"_s,   u"client_model"_s,
                                   u"backend_model"_s, u"stop_reason"_s, u"attempts"_s};
        QStringList likes;
        for (const QString &column : searched) {
            likes << column + u" LIKE ? ESCAPE '\\'"_s;
            values << likePattern(text);
        }
        terms << u'(' + likes.join(" OR "_L1) + u')';
    }
    return {terms.isEmpty() ? QString() : u" WHERE "_s + terms.join(" AND "_L1), values};
}

StoredRequest fromRow(const QSqlQuery &q) {
    StoredRequest stored;
    stored.rowId = q.value(0).toLongLong();
    RequestRecord &r = stored.record;
    r.startedAt = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong());
    r.endpoint = q.value(2).toString();
    r.clientModel = q.value(3).toString();
    r.backendModel = q.value(4).toString();
    r.backendName = q.value(5).toString();
    r.stream = q.value(6).toBool();
    r.status = q.value(7).toInt();
    r.estimatedInputTokens = q.value(8).toInt();
    if (!q.value(9).isNull())
        r.inputTokens = q.value(9).toInt();
    if (!q.value(10).isNull())
        r.outputTokens = q.value(10).toInt();
    r.timeToFirstTokenMs = q.value(11).toLongLong();
    r.durationMs = q.value(12).toLongLong();
    r.stopReason = q.value(13).toString();
    r.error = q.value(14).toString();
    r.warning = q.value(15).toString();
    r.notes = HistoryRecordCodec::notesFromText(q.value(16).toString());
    r.route = q.value(17).toString();
    r.attempts = HistoryRecordCodec::attemptsFromText(q.value(18).toString());
    r.tokenCountSource = q.value(19).toString();
    r.id = q.value(20).toULongLong();
    stored.exchangeKept = q.value(21).toBool();
    return stored;
}

bool run(QSqlQuery &query, const QString &sql, const QVariantList &values) {
    if (!query.prepare(sql))
        return false;
    for (const QVariant &value : values)
        query.addBindValue(value);
    return query.exec();
}

// Newest first, no exchanges.
QList<StoredRequest> selectRows(const QString &connection, const Where &where, int limit) {
    QSqlQuery query(QSqlDatabase::database(connection, false));
    query.setForwardOnly(true);
    QList<StoredRequest> result;
    if (!run(query,
             u"SELECT %1 FROM requests%2 ORDER BY id DESC LIMIT %3"_s.arg(kColumns, where.sql).arg(limit),
             where.values))
        return result;
    while (query.next())
        result.append(fromRow(query));
    return result;
}

} // namespace

HistoryQueries::HistoryQueries(QString connectionName)
    : m_connection(std::move(connectionName)) {}

QList<StoredRequest> HistoryQueries::rows(const HistoryFilter &filter, qint64 beforeRowId, int limit) const {
    return beforeRowId > 0 ? selectRows(m_connection, whereFor(filter, {u"id < ?"_s}, {beforeRowId}), limit)
                           : selectRows(m_connection, whereFor(filter), limit);
}

QList<StoredRequest> HistoryQueries::rowsAfter(const HistoryFilter &filter, qint64 afterRowId,
                                               int limit) const {
    return selectRows(m_connection, whereFor(filter, {u"id > ?"_s}, {afterRowId}), limit);
}

std::optional<StoredRequest> HistoryQueries::request(qint64 rowId) const {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!run(query, u"SELECT %1 FROM requests WHERE id = ?"_s.arg(kColumns), {rowId}) || !query.next())
        return std::nullopt;
    StoredRequest stored = fromRow(query);
    if (stored.exchangeKept && run(query, u"SELECT data FROM exchanges WHERE request_id = ?"_s, {rowId}) &&
        query.next())
        stored.exchangeKept =
            HistoryRecordCodec::unpackExchange(query.value(0).toByteArray(), &stored.record);
    return stored;
}

qint64 HistoryQueries::count(const HistoryFilter &filter) const {
    const Where where = whereFor(filter);
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    return run(query, u"SELECT COUNT(*) FROM requests"_s + where.sql, where.values) && query.next()
               ? query.value(0).toLongLong()
               : 0;
}

QStringList HistoryQueries::models() const {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    QStringList names;
    if (query.exec(u"SELECT backend_model FROM requests WHERE backend_model != '' UNION "
                   "SELECT client_model FROM requests WHERE client_model != '' ORDER BY 1"_s))
        while (query.next())
            names.append(query.value(0).toString());
    return names;
}

QStringList HistoryQueries::backends() const {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    QStringList names;
    if (query.exec(u"SELECT DISTINCT backend_name FROM requests WHERE backend_name != '' ORDER BY 1"_s))
        while (query.next())
            names.append(query.value(0).toString());
    return names;
}

UsageReport HistoryQueries::usage(const QDateTime &from, const QDateTime &to) const {
    // Summed here rather than in SQL: days are local days as Qt counts them (time zones and
    // daylight saving included), and only the sums are held, never the rows.
    UsageAccumulator sums(from, to);
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.setForwardOnly(true);
    if (!run(
            query,
            u"SELECT started_at, endpoint, client_model, backend_model, failed, estimated_input, "
            u"input_tokens, "
            "output_tokens, first_token_ms, duration_ms FROM requests WHERE started_at >= ? AND started_at < ?"_s,
            {from.toMSecsSinceEpoch(), to.toMSecsSinceEpoch()}))
        return sums.report();
    while (query.next()) {
        UsageAccumulator::Row row;
        row.startedAt = QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong());
        row.endpoint = query.value(1).toString();
        row.clientModel = query.value(2).toString();
        row.backendModel = query.value(3).toString();
        row.failed = query.value(4).toBool();
        row.estimatedInputTokens = query.value(5).toInt();
        if (!query.value(6).isNull())
            row.inputTokens = query.value(6).toInt();
        if (!query.value(7).isNull())
            row.outputTokens = query.value(7).toInt();
        row.firstTokenMs = query.value(8).toLongLong();
        row.durationMs = query.value(9).toLongLong();
        sums.add(row);
    }
    return sums.report();
}

qint64 HistoryQueries::exportTo(const HistoryFilter &filter, QIODevice *out, QString *error) const {
    // In pages by id, each request read with its exchange and written at once: a year of history
    // never has to fit in memory.
    qint64 written = 0;
    qint64 after = 0;
    constexpr int kPage = 200;
    for (;;) {
        const Where where = whereFor(filter, {u"id > ?"_s}, {after});
        QSqlQuery query(QSqlDatabase::database(m_connection, false));
        query.setForwardOnly(true);
        if (!run(query, u"SELECT id FROM requests%1 ORDER BY id LIMIT %2"_s.arg(where.sql).arg(kPage),
                 where.values)) {
            *error = query.lastError().text();
            return -1;
        }
        QList<qint64> ids;
        while (query.next())
            ids.append(query.value(0).toLongLong());
        for (const qint64 id : ids) {
            const std::optional<StoredRequest> stored = request(id);
            if (!stored)
                continue;
            const QByteArray line =
                QJsonDocument(RequestRecordExport::toJson(stored->record)).toJson(QJsonDocument::Compact) +
                '\n';
            if (out->write(line) != line.size()) {
                *error = out->errorString();
                return -1;
            }
            ++written;
        }
        if (ids.size() < kPage)
            return written;
        after = ids.constLast();
    }
}

} // namespace modelrelay
