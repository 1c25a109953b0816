// Idle keep-alive connections to plain-HTTP servers, by host and port, for PlainHttpReply to
// reuse: a request on a warm connection skips the TCP handshake.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

class QObject;
class QTcpSocket;

namespace modelrelay {

class HttpConnectionCache {
public:
    explicit HttpConnectionCache(QObject *owner); // parent of every socket it creates
    ~HttpConnectionCache();
    HttpConnectionCache(const HttpConnectionCache &) = delete;
    HttpConnectionCache &operator=(const HttpConnectionCache &) = delete;

    // An idle connected socket to host:port if allowIdle and there is one (*reused = true), else a
    // new, unconnected one.
    QTcpSocket *take(const QString &host, quint16 port, bool allowIdle, bool *reused);
    // The socket finished a response and may carry another request; the cache owns it again.
    void giveBack(QTcpSocket *socket, const QString &host, quint16 port);
    // The socket is of no further use (error, abort, a response that cannot be reused).
    static void discard(QTcpSocket *socket);

    int idleCount() const;

private:
    static constexpr int kMaxIdlePerServer = 16;
    static QString key(const QString &host, quint16 port);
    void forget(QTcpSocket *socket);

    QObject *m_owner;
    QHash<QString, QList<QTcpSocket *>> m_idle;
};

} // namespace modelrelay
