#include "HistoryWriter.h"

#include <QDateTime>
#include <QTimer>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

HistoryWriter::HistoryWriter(QString path, HistoryRetention retention, QString connectionName)
    : m_database(std::move(path), std::move(connectionName))
    , m_retention(retention) {}

void HistoryWriter::open() {
    m_tick = new QTimer(this);
    m_tick->setSingleShot(true);
    m_tick->setInterval(kBatchMs);
    connect(m_tick, &QTimer::timeout, this, &HistoryWriter::flush);
    const HistoryDatabase::Opened opened = m_database.open();
    if (opened.ok)
        prune();
    emit this->opened(opened.ok, opened.error, opened.movedAside, opened.reason);
}

void HistoryWriter::add(const RequestRecord &record) {
    if (m_waiting.size() >= kMaxWaiting)
        m_waiting.removeFirst();
    m_waiting.append(record);
    if (m_waiting.size() >= kBatchSize)
        flush();
    else if (m_tick && !m_tick->isActive())
        m_tick->start();
}

void HistoryWriter::flush() {
    if (m_tick)
        m_tick->stop();
    if (m_waiting.isEmpty() || !m_database.isOpen())
        return;
    bool corrupt = false;
    QString error;
    if (!m_database.insert(m_waiting, &corrupt, &error)) {
        if (!corrupt) {
            emit failed(u"Could not write the request history (%1): %2"_s.arg(m_database.path(), error));
            m_waiting.clear(); // the same batch would fail the same way; the live log still has them
            return;
        }
        // Damaged while in use (a disk error, another program): keep the old file, start anew.
        m_database.close();
        const HistoryDatabase::Opened opened = m_database.open();
        emit this->opened(opened.ok, opened.error, opened.movedAside,
                          opened.reason.isEmpty() ? error : opened.reason);
        if (!opened.ok || !m_database.insert(m_waiting)) {
            m_waiting.clear();
            return;
        }
    }
    const int count = int(m_waiting.size());
    m_waiting.clear();
    emit written(count);
    m_sincePrune += count;
    if (m_sincePrune >= kPruneEvery)
        prune();
}

void HistoryWriter::setRetention(const HistoryRetention &retention) {
    m_retention = retention;
    prune();
}

void HistoryWriter::prune() {
    m_sincePrune = 0;
    const HistoryDatabase::Pruned pruned = m_database.prune(m_retention, QDateTime::currentMSecsSinceEpoch());
    if (pruned.rowsDeleted > 0 || pruned.exchangesDropped > 0)
        emit this->pruned(pruned.rowsDeleted, pruned.exchangesDropped);
}

} // namespace modelrelay
