#include "HistoryDatabase.h"

#include "HistoryRecordCodec.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS requests ("
    " id INTEGER PRIMARY KEY,"
    " started_at INTEGER NOT NULL," // ms since the epoch, UTC
    " endpoint TEXT NOT NULL,"
    " client_model TEXT NOT NULL,"
    " backend_model TEXT NOT NULL,"
    " backend_name TEXT NOT NULL,"
    " stream INTEGER NOT NULL,"
    " status INTEGER NOT NULL,"
    " failed INTEGER NOT NULL," // status >= 400 or an error message: what "errors" counts
    " estimated_input INTEGER NOT NULL,"
    " input_tokens INTEGER," // NULL: the backend did not say
    " output_tokens INTEGER,"
    " first_token_ms INTEGER NOT NULL,"
    " duration_ms INTEGER NOT NULL,"
    " stop_reason TEXT NOT NULL,"
    " error TEXT NOT NULL,"
    " warning TEXT NOT NULL,"
    " notes TEXT NOT NULL,"
    " route TEXT NOT NULL,"
    " attempts TEXT NOT NULL,"
    " token_count_source TEXT NOT NULL,"
    " run_id INTEGER NOT NULL)", // RequestRecord::id: counts from 1 in each run
    "CREATE INDEX IF NOT EXISTS requests_started_at ON requests(started_at)",
    // Separate from the rows so that listing and counting never reads them, and so they can be
    // dropped first when the history outgrows its size.
    "CREATE TABLE IF NOT EXISTS exchanges ("
    " request_id INTEGER PRIMARY KEY,"
    " size INTEGER NOT NULL,"
    " data BLOB NOT NULL)",
};

bool isCorruption(const QSqlError &error) {
    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), possibly extended (low byte kept).
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    return ok && (code == 11 || code == 26);
}

QVariant optionalInt(const std::optional<int> &value) {
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Int));
}

} // namespace

HistoryDatabase::HistoryDatabase(QString path, QString connectionName)
    : m_path(std::move(path))
    , m_connection(std::move(connectionName)) {}

HistoryDatabase::~HistoryDatabase() {
    close();
}

bool HistoryDatabase::driverAvailable() {
    return QSqlDatabase::isDriverAvailable(u"QSQLITE"_s);
}

bool HistoryDatabase::isOpen() const {
    return QSqlDatabase::contains(m_connection) && QSqlDatabase::database(m_connection, false).isOpen();
}

void HistoryDatabase::close() {
    if (!QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

HistoryDatabase::Opened HistoryDatabase::open() {
    if (!driverAvailable())
        return {
            false,
            u"Qt's SQLite driver (QSQLITE) is not installed, so the request history is not kept. On Debian "
            "or Ubuntu: sudo apt install libqt6sql6-sqlite"_s,
            {},
            {}};
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return {
            false,
            u"cannot create the folder %1"_s.arg(QDir::toNativeSeparators(QFileInfo(m_path).absolutePath())),
            {},
            {}};
    close();
    QString problem;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        db.setDatabaseName(m_path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open())
            problem = db.lastError().text();
    }
    if (problem.isEmpty())
        problem = check();
    if (!problem.isEmpty())
        return moveAsideAndRecreate(problem);
    QString error;
    if (!createSchema(&error))
        return moveAsideAndRecreate(error);
    return {true, {}, {}, {}};
}

QString HistoryDatabase::check() {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return query.lastError().text();
    if (query.value(0).toInt() > kSchemaVersion)
        return u"it was written by a newer ModelRelay (format %1)"_s.arg(query.value(0).toInt());
    // quick_check reads every page but skips the index cross-checks: a damaged file fails it
    // without the minutes a full integrity_check can take on a large history.
    if (!query.exec(u"PRAGMA quick_check(1)"_s) || !query.next())
        return query.lastError().text();
    const QString verdict = query.value(0).toString();
    return verdict == "ok"_L1 ? QString() : verdict;
}

HistoryDatabase::Opened HistoryDatabase::moveAsideAndRecreate(const QString &reason) {
    close();
    const QString aside =
        u"%1.damaged-%2"_s.arg(m_path, QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s));
    // The journal files belong to the damaged database: they go with it, never into the new one.
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s, u"-journal"_s}) {
        if (QFile::exists(m_path + suffix) && !QFile::rename(m_path + suffix, aside + suffix))
            QFile::remove(m_path + suffix);
    }
    Opened opened;
    opened.movedAside = aside;
    opened.reason = reason;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        db.setDatabaseName(m_path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            opened.error = db.lastError().text();
            return opened;
        }
    }
    opened.ok = createSchema(&opened.error);
    return opened;
}

bool HistoryDatabase::createSchema(QString *error) {
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery query(db);
    // auto_vacuum only takes effect before the first table: files shrink after pruning.
    // WAL: the window reads while the writer thread writes.
    for (const QString &pragma : {u"PRAGMA auto_vacuum = INCREMENTAL"_s, u"PRAGMA journal_mode = WAL"_s,
                                  u"PRAGMA synchronous = NORMAL"_s}) {
        if (!query.exec(pragma)) {
            *error = query.lastError().text();
            return false;
        }
    }
    for (const char *statement : kSchema) {
        if (!query.exec(QString::fromLatin1(statement))) {
            *error = query.lastError().text();
            return false;
        }
    }
    if (!query.exec(u"PRAGMA user_version = %1"_s.arg(kSchemaVersion))) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

bool HistoryDatabase::insert(const QList<RequestRecord> &records, bool *corrupt, QString *error) {
    if (corrupt)
        *corrupt = false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.isOpen() || records.isEmpty())
        return db.isOpen();
    auto fail = [&](const QSqlError &sqlError) {
        db.rollback();
        if (corrupt)
            *corrupt = isCorruption(sqlError);
        if (error)
            *error = sqlError.text();
        return false;
    };
    if (!db.transaction())
        return fail(db.lastError());
    QSqlQuery row(db);
    row.prepare(
        u"INSERT INTO requests (started_at, endpoint, client_model, backend_model, backend_name, stream, "
        "status, failed, estimated_input, input_tokens, output_tokens, first_token_ms, duration_ms, "
        "stop_reason, error, warning, notes, route, attempts, token_count_source, run_id) VALUES "
        "(?, %1, %1, %1, %1, ?, ?, ?, ?, ?, ?, ?, ?, %1, %1, %1, %1, %1, %1, %1, ?)"_s.arg(
            // A null QString binds as NULL; the text columns want ''.
            u"COALESCE(?, '')"_s));
    QSqlQuery exchange(db);
    exchange.prepare(u"INSERT INTO exchanges (request_id, size, data) VALUES (?, ?, ?)"_s);
    for (const RequestRecord &original : records) {
        const RequestRecord r = HistoryRecordCodec::redacted(original);
        const QList<QVariant> values{r.startedAt.toMSecsSinceEpoch(),
                                     r.endpoint,
                                     r.clientModel,
                                     r.backendModel,
                                     r.backendName,
                                     r.stream ? 1 : 0,
                                     r.status,
                                     (r.status >= 400 || !r.error.isEmpty()) ? 1 : 0,
                                     r.estimatedInputTokens,
                                     optionalInt(r.inputTokens),
                                     optionalInt(r.outputTokens),
                                     r.timeToFirstTokenMs,
                                     r.durationMs,
                                     r.stopReason,
                                     r.error,
                                     r.warning,
                                     HistoryRecordCodec::notesToText(r.notes),
                                     r.route,
                                     HistoryRecordCodec::attemptsToText(r.attempts),
                                     r.tokenCountSource,
                                     qint64(r.id)};
        for (int i = 0; i < values.size(); ++i)
            row.bindValue(i, values.at(i));
        if (!row.exec())
            return fail(row.lastError());
        const QByteArray packed = HistoryRecordCodec::packExchange(r);
        if (packed.isEmpty())
            continue;
        exchange.bindValue(0, row.lastInsertId());
        exchange.bindValue(1, packed.size());
        exchange.bindValue(2, packed);
        if (!exchange.exec())
            return fail(exchange.lastError());
    }
    if (!db.commit())
        return fail(db.lastError());
    return true;
}

HistoryDatabase::Pruned HistoryDatabase::prune(const HistoryRetention &retention, qint64 nowMs) {
    Pruned pruned;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.isOpen())
        return pruned;
    QSqlQuery query(db);
    if (retention.days > 0) {
        const qint64 cutoff = nowMs - qint64(retention.days) * 24 * 3600 * 1000;
        query.prepare(
            u"DELETE FROM exchanges WHERE request_id IN (SELECT id FROM requests WHERE started_at < ?)"_s);
        query.addBindValue(cutoff);
        if (query.exec())
            pruned.exchangesDropped += query.numRowsAffected();
        query.prepare(u"DELETE FROM requests WHERE started_at < ?"_s);
        query.addBindValue(cutoff);
        if (query.exec())
            pruned.rowsDeleted += query.numRowsAffected();
    }
    if (retention.maxMegabytes > 0) {
        const qint64 limit = qint64(retention.maxMegabytes) * 1024 * 1024;
        // Down to 90 % of the limit, so that the next batches do not prune again at once.
        const qint64 target = limit / 10 * 9;
        qint64 used = usedBytes();
        if (used > limit) {
            // The oldest exchanges first: the rows (a few hundred bytes each) are what the usage
            // page counts and what search finds.
            qint64 excess = used - target;
            while (excess > 0) {
                if (!query.exec(u"SELECT request_id, size FROM exchanges ORDER BY request_id LIMIT 512"_s))
                    break;
                QList<qint64> ids;
                while (excess > 0 && query.next()) {
                    ids.append(query.value(0).toLongLong());
                    excess -= query.value(1).toLongLong();
                }
                if (ids.isEmpty())
                    break;
                QSqlQuery drop(db);
                drop.exec(u"DELETE FROM exchanges WHERE request_id <= %1"_s.arg(ids.constLast()));
                pruned.exchangesDropped += drop.numRowsAffected();
            }
            used = usedBytes();
            while (used > target) {
                QSqlQuery drop(db);
                if (!drop.exec(
                        u"DELETE FROM requests WHERE id IN (SELECT id FROM requests ORDER BY id LIMIT 2000)"_s) ||
                    drop.numRowsAffected() <= 0)
                    break;
                pruned.rowsDeleted += drop.numRowsAffected();
                drop.exec(u"DELETE FROM exchanges WHERE request_id NOT IN (SELECT id FROM requests)"_s);
                used = usedBytes();
            }
        }
    }
    if (pruned.rowsDeleted > 0 || pruned.exchangesDropped > 0)
        query.exec(u"PRAGMA incremental_vacuum"_s); // give the freed pages back to the file system
    return pruned;
}

qint64 HistoryDatabase::usedBytes() const {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    auto pragma = [&query](const QString &name) {
        return query.exec(u"PRAGMA "_s + name) && query.next() ? query.value(0).toLongLong() : 0;
    };
    const qint64 pages = pragma(u"page_count"_s) - pragma(u"freelist_count"_s);
    return pages * pragma(u"page_size"_s);
}

qint64 HistoryDatabase::rowCount() const {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    return query.exec(u"SELECT COUNT(*) FROM requests"_s) && query.next() ? query.value(0).toLongLong() : 0;
}

} // namespace modelrelay
