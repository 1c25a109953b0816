#include "HttpConnectionCache.h"

#include <QNetworkProxy>
#include <QTcpSocket>

namespace modelrelay {

HttpConnectionCache::HttpConnectionCache(QObject *owner)
    : m_owner(owner) {}

HttpConnectionCache::~HttpConnectionCache() {
    for (const QList<QTcpSocket *> &sockets : std::as_const(m_idle)) {
        for (QTcpSocket *socket : sockets) {
            socket->disconnect();
            socket->abort();
            socket->deleteLater();
        }
    }
}

QString HttpConnectionCache::key(const QString &host, quint16 port) {
    return host + u':' + QString::number(port);
}

QTcpSocket *HttpConnectionCache::take(const QString &host, quint16 port, bool allowIdle, bool *reused) {
    auto it = allowIdle ? m_idle.find(key(host, port)) : m_idle.end();
    while (it != m_idle.end() && !it->isEmpty()) {
        QTcpSocket *socket = it->takeLast(); // the most recently used is the least likely closed
        socket->disconnect(m_owner);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesAvailable() == 0) {
            *reused = true;
            return socket;
        }
        discard(socket); // closed, or the server sent something unasked
    }
    *reused = false;
    auto *socket = new QTcpSocket(m_owner);
    // The request decided against a proxy already (BackendNetworkAccess).
    socket->setProxy(QNetworkProxy::NoProxy);
    return socket;
}

void HttpConnectionCache::giveBack(QTcpSocket *socket, const QString &host, quint16 port) {
    QList<QTcpSocket *> &idle = m_idle[key(host, port)];
    if (idle.size() >= kMaxIdlePerServer || socket->state() != QAbstractSocket::ConnectedState) {
        discard(socket);
        return;
    }
    idle.append(socket);
    // A server closes idle connections when it likes; drop them from the cache as it does.
    QObject::connect(socket, &QTcpSocket::disconnected, m_owner, [this, socket] { forget(socket); });
    QObject::connect(socket, &QTcpSocket::readyRead, m_owner, [this, socket] { forget(socket); });
}

void HttpConnectionCache::forget(QTcpSocket *socket) {
    for (QList<QTcpSocket *> &sockets : m_idle) {
        if (sockets.removeOne(socket)) {
            socket->disconnect(m_owner);
            discard(socket);
            return;
        }
    }
}

void HttpConnectionCache::discard(QTcpSocket *socket) {
    socket->abort();
    socket->deleteLater();
}

int HttpConnectionCache::idleCount() const {
    int count = 0;
    for (const QList<QTcpSocket *> &sockets : m_idle)
        count += int(sockets.size());
    return count;
}

} // namespace modelrelay
