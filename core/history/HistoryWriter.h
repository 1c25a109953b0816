// The history's writing side, living on a thread of its own: records are queued as they arrive
// and written in one transaction per batch (every few hundred milliseconds, or sooner under a
// burst), so neither the proxy nor the window ever waits for the disk. Prunes by retention as it
// goes. A file found damaged on opening, or while writing, is moved aside and a new one started.
#pragma once

#include "HistoryDatabase.h"
#include "HistoryRetention.h"
#include "records/RequestRecord.h"

#include <QList>
#include <QObject>

class QTimer;

namespace modelrelay {

class HistoryWriter : public QObject {
    Q_OBJECT
public:
    static constexpr int kBatchMs = 250;
    static constexpr int kBatchSize = 64;   // written at once when this many are waiting
    static constexpr int kPruneEvery = 256; // records between retention checks
    static constexpr int kMaxWaiting =
        2000; // beyond this (a disk that stopped answering) the oldest waiting are dropped

    HistoryWriter(QString path, HistoryRetention retention, QString connectionName);

public slots:
    void open();
    void add(const modelrelay::RequestRecord &record);
    void flush();
    void setRetention(const modelrelay::HistoryRetention &retention);
    void prune();

signals:
    void opened(bool ok, const QString &error, const QString &movedAside, const QString &reason);
    void written(int count);
    void pruned(int rows, int exchanges);
    void failed(const QString &message);

private:
    HistoryDatabase m_database;
    HistoryRetention m_retention;
    QList<RequestRecord> m_waiting;
    QTimer *m_tick = nullptr;
    int m_sincePrune = 0;
};

} // namespace modelrelay
