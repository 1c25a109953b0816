// The request history as the window uses it: records go in (written on a thread of their own,
// in batches), queries come out (on the caller's thread, from a connection of its own). Opens
// asynchronously: ready() once the file was checked (and, if damaged, moved aside and replaced).
#pragma once

#include "HistoryQueries.h"
#include "HistoryRetention.h"
#include "records/RequestRecord.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

class QThread;

namespace modelrelay {

class HistoryWriter;

class HistoryStore : public QObject {
    Q_OBJECT
public:
    HistoryStore(QString path, HistoryRetention retention, QObject *parent = nullptr);
    ~HistoryStore() override; // writes what is still waiting

    QString path() const { return m_path; }
    bool isReady() const { return m_queries.has_value(); }
    // Why there is no history, in words ("" while opening or when it works).
    QString problem() const { return m_problem; }
    // Only while isReady().
    const HistoryQueries &queries() const { return *m_queries; }
    HistoryRetention retention() const { return m_retention; }
    void setRetention(const HistoryRetention &retention);

    // Waits until everything added so far is on disk (tests; closing the application).
    void flush();
    // Applies the retention now (otherwise it runs every few hundred records).
    void prune();

public slots:
    void add(const modelrelay::RequestRecord &record);

signals:
    void ready();
    void unavailable(const QString &problem);
    // The file was damaged: it was renamed to movedAside and a new history started.
    void movedAside(const QString &movedAside, const QString &reason);
    void written(int count);
    void pruned(int rows, int exchanges);
    void writeFailed(const QString &message);

private:
    void onOpened(bool ok, const QString &error, const QString &movedAside, const QString &reason);

    struct ThreadStopper {
        void operator()(QThread *thread) const;
    };

    QString m_path;
    HistoryRetention m_retention;
    QString m_readConnection;
    std::unique_ptr<QThread, ThreadStopper> m_thread;
    HistoryWriter *m_writer; // lives in m_thread, deleted when it finishes
    std::optional<HistoryQueries> m_queries;
    QString m_problem;
};

} // namespace modelrelay
