// Idle keep-alive connections to plain-HTTP servers, by host and port, for PlainHttpReply to
// reuse: a request on a warm connection skips the TCP handshake. Bounded after a burst: at most
// kMaxIdlePerServer kept per server, each closed after kIdleTimeoutMs unused.
#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

class QTcpSocket;

namespace modelrelay {

class HttpConnectionCache : public QObject {
    Q_OBJECT
public:
    explicit HttpConnectionCache(QObject *parent = nullptr);
    ~HttpConnectionCache() override;

    // An idle connected socket to host:port if allowIdle and there is one (*reused = true), else a
    // new, unconnected one.
    QTcpSocket *take(const QString &host, quint16 port, bool allowIdle, bool *reused);
    // The socket finished a response and may carry another request; the cache owns it again.
    void giveBack(QTcpSocket *socket, const QString &host, quint16 port);
    // The socket is of no further use (error, abort, a response that cannot be reused).
    static void discard(QTcpSocket *socket);

    int idleCount() const;
    void setIdleTimeoutMs(int ms) { m_idleTimeoutMs = ms; }

    static constexpr int kMaxIdlePerServer = 16;
    static constexpr int kIdleTimeoutMs = 30000;

private:
    struct Idle {
        QTcpSocket *socket;
        QDeadlineTimer expires;
    };
    static QString key(const QString &host, quint16 port);
    void forget(QTcpSocket *socket);
    void closeExpired();

    QHash<QString, QList<Idle>> m_idle;
    QTimer m_sweep;
    int m_idleTimeoutMs = kIdleTimeoutMs;
};

} // namespace modelrelay
