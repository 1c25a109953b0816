#include "HistoryStore.h"

#include "HistoryWriter.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QThread>
#include <QUuid>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

void HistoryStore::ThreadStopper::operator()(QThread *thread) const {
    thread->quit();
    thread->wait();
    delete thread;
}

HistoryStore::HistoryStore(QString path, HistoryRetention retention, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_retention(retention)
    , m_readConnection(u"modelrelay-history-read-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_thread(new QThread)
    , m_writer(new HistoryWriter(m_path, retention,
                                 u"modelrelay-history-write-"_s +
                                     QUuid::createUuid().toString(QUuid::WithoutBraces))) {
    qRegisterMetaType<RequestRecord>();
    qRegisterMetaType<HistoryRetention>();
    m_thread->setObjectName(u"ModelRelay history"_s);
    m_writer->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &HistoryWriter::opened, this, &HistoryStore::onOpened);
    connect(m_writer, &HistoryWriter::written, this, &HistoryStore::written);
    connect(m_writer, &HistoryWriter::pruned, this, &HistoryStore::pruned);
    connect(m_writer, &HistoryWriter::failed, this, &HistoryStore::writeFailed);
    connect(m_writer, &HistoryWriter::failed, this,
            [](const QString &message) { qWarning("%s", qPrintable(message)); });
    m_thread->start();
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::open, Qt::QueuedConnection);
}

HistoryStore::~HistoryStore() {
    flush();
    m_queries.reset();
    if (QSqlDatabase::contains(m_readConnection)) {
        QSqlDatabase::database(m_readConnection, false).close();
        QSqlDatabase::removeDatabase(m_readConnection);
    }
}

void HistoryStore::onOpened(bool ok, const QString &error, const QString &movedAside, const QString &reason) {
    if (!movedAside.isEmpty())
        emit this->movedAside(movedAside, reason);
    if (!ok) {
        m_problem = error;
        emit unavailable(error);
        return;
    }
    m_problem.clear();
    if (!QSqlDatabase::contains(m_readConnection)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_readConnection);
        db.setDatabaseName(m_path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY"_s);
    }
    // A file moved aside and replaced while this connection was open: read the new one.
    QSqlDatabase db = QSqlDatabase::database(m_readConnection, false);
    db.close();
    if (!db.open()) {
        m_problem = u"Could not read the request history %1: %2"_s.arg(m_path, db.lastError().text());
        emit unavailable(m_problem);
        return;
    }
    m_queries.emplace(m_readConnection);
    emit ready();
}

void HistoryStore::add(const RequestRecord &record) {
    QMetaObject::invokeMethod(m_writer, "add", Qt::QueuedConnection,
                              Q_ARG(modelrelay::RequestRecord, record));
}

void HistoryStore::flush() {
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::flush, Qt::BlockingQueuedConnection);
}

void HistoryStore::prune() {
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::prune, Qt::BlockingQueuedConnection);
}

void HistoryStore::setRetention(const HistoryRetention &retention) {
    m_retention = retention;
    QMetaObject::invokeMethod(m_writer, "setRetention", Qt::QueuedConnection,
                              Q_ARG(modelrelay::HistoryRetention, retention));
}

} // namespace modelrelay
