#include "HttpConnectionCache.h"

#include <QNetworkProxy>
#include <QTcpSocket>

namespace modelrelay {

HttpConnectionCache::HttpConnectionCache(QObject *parent)
    : QObject(parent) {
    connect(&m_sweep, &QTimer::timeout, this, &HttpConnectionCache::closeExpired);
}

HttpConnectionCache::~HttpConnectionCache() {
    for (const QList<Idle> &sockets : std::as_const(m_idle)) {
        for (const Idle &idle : sockets) {
            idle.socket->disconnect();
            idle.socket->abort();
            idle.socket->deleteLater();
        }
    }
}

QString HttpConnectionCache::key(const QString &host, quint16 port) {
    return host + u':' + QString::number(port);
}

QTcpSocket *HttpConnectionCache::take(const QString &host, quint16 port, bool allowIdle, bool *reused) {
    auto it = allowIdle ? m_idle.find(key(host, port)) : m_idle.end();
    while (it != m_idle.end() && !it->isEmpty()) {
        QTcpSocket *socket = it->takeLast().socket; // the most recently used is the least likely closed
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesAvailable() == 0) {
            *reused = true;
            return socket;
        }
        discard(socket); // closed, or the server sent something unasked
    }
    *reused = false;
    auto *socket = new QTcpSocket(this);
    // The transport decided against a proxy already (TransportSelector).
    socket->setProxy(QNetworkProxy::NoProxy);
    return socket;
}

void HttpConnectionCache::giveBack(QTcpSocket *socket, const QString &host, quint16 port) {
    QList<Idle> &idle = m_idle[key(host, port)];
    if (idle.size() >= kMaxIdlePerServer || socket->state() != QAbstractSocket::ConnectedState) {
        discard(socket);
        return;
    }
    idle.append({socket, QDeadlineTimer(m_idleTimeoutMs)});
    // A server closes idle connections when it likes; drop them from the cache as it does.
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { forget(socket); });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { forget(socket); });
    if (!m_sweep.isActive())
        m_sweep.start(qMax(1000, m_idleTimeoutMs / 4));
}

void HttpConnectionCache::forget(QTcpSocket *socket) {
    for (QList<Idle> &sockets : m_idle) {
        for (qsizetype i = 0; i < sockets.size(); ++i) {
            if (sockets.at(i).socket == socket) {
                sockets.removeAt(i);
                socket->disconnect(this);
                discard(socket);
                return;
            }
        }
    }
}

void HttpConnectionCache::closeExpired() {
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        QList<Idle> &sockets = it.value();
        for (qsizetype i = sockets.size() - 1; i >= 0; --i) {
            if (sockets.at(i).expires.hasExpired()) {
                QTcpSocket *socket = sockets.takeAt(i).socket;
                socket->disconnect(this);
                discard(socket);
            }
        }
        it = sockets.isEmpty() ? m_idle.erase(it) : std::next(it);
    }
    if (m_idle.isEmpty())
        m_sweep.stop();
}

void HttpConnectionCache::discard(QTcpSocket *socket) {
    socket->abort();
    socket->deleteLater();
}

int HttpConnectionCache::idleCount() const {
    int count = 0;
    for (const QList<Idle> &sockets : m_idle)
        count += int(sockets.size());
    return count;
}

} // namespace modelrelay
