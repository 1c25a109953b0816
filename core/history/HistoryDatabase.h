// One connection to the request-history SQLite database (Qt SQL, QSQLITE), used from one thread:
// opening it (a damaged file is moved aside and a new one started), writing records in batches,
// and pruning by age and size. Reading is HistoryQueries' job, on a connection of its own.
#pragma once

#include "HistoryRetention.h"
#include "records/RequestRecord.h"

#include <QList>
#include <QString>

namespace modelrelay {

class HistoryDatabase {
public:
    struct Opened {
        bool ok = false;
        QString error;      // !ok: what failed, in words
        QString movedAside; // a damaged file was renamed to this (and a new one started)
        QString reason;     // why it was moved aside
    };
    struct Pruned {
        int rowsDeleted = 0;
        int exchangesDropped = 0;
    };

    // connectionName: unique per thread (QSqlDatabase connections belong to the thread that made them).
    HistoryDatabase(QString path, QString connectionName);
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase &) = delete;
    HistoryDatabase &operator=(const HistoryDatabase &) = delete;

    static bool driverAvailable(); // the QSQLITE plugin is installed
    static constexpr int kSchemaVersion = 1;

    Opened open();
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString connectionName() const { return m_connection; }

    // One transaction; each record is redacted before anything is written. False (and nothing
    // written) on failure; *corrupt tells whether SQLite found the file damaged.
    bool insert(const QList<RequestRecord> &records, bool *corrupt = nullptr, QString *error = nullptr);
    Pruned prune(const HistoryRetention &retention, qint64 nowMs);
    qint64 usedBytes() const; // pages in use, free pages not counted
    qint64 rowCount() const;

private:
    bool createSchema(QString *error);
    Opened moveAsideAndRecreate(const QString &reason);
    QString check(); // "" when the file is sound, else why not

    QString m_path;
    QString m_connection;
};

} // namespace modelrelay
