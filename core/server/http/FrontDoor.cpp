#include "FrontDoor.h"

#include "HttpConnection.h"
#include "HttpResponseHead.h"
#include "anthropic/ApiError.h"

#include <QTcpSocket>

namespace modelrelay {

namespace {
constexpr int kResumeAcceptingMs = 250;
constexpr int kMaxRefusing = 64; // beyond this, a connection over the cap is closed without an answer
} // namespace

FrontDoor::FrontDoor(HttpRequestHandler &handler, const HttpLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_handler(handler)
    , m_limits(limits) {
    m_resumeAccepting.setSingleShot(true);
    m_resumeAccepting.setInterval(kResumeAcceptingMs);
    connect(&m_resumeAccepting, &QTimer::timeout, this, [this] {
        if (!m_closing)
            resumeAccepting();
    });
    connect(this, &QTcpServer::acceptError, this, &FrontDoor::onAcceptError);
}

FrontDoor::~FrontDoor() {
    // Connections are children; their writers must not call back into a half-destroyed server.
    const QSet<HttpConnection *> connections = std::exchange(m_connections, {});
    for (HttpConnection *connection : connections) {
        connection->disconnect(this);
        delete connection;
    }
}

void FrontDoor::setLimits(const HttpLimits &limits) {
    m_limits = limits;
}

int FrontDoor::answeringCount() const {
    int count = 0;
    for (const HttpConnection *connection : m_connections)
        count += connection->isAnswering() ? 1 : 0;
    return count;
}

void FrontDoor::closeWhenIdle() {
    m_closing = true;
    m_resumeAccepting.stop();
    close();
    const QSet<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeWhenIdle();
}

void FrontDoor::incomingConnection(qintptr descriptor) {
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_closing || connectionCount() >= m_limits.maxConnections) {
        refuseOverCapacity(socket);
        return;
    }
    auto *connection = new HttpConnection(socket, m_handler, m_limits, this);
    m_connections.insert(connection);
    connect(connection, &HttpConnection::closed, this, [this, connection] {
        m_connections.remove(connection);
        // A descriptor came free: accepting may go on.
        if (m_resumeAccepting.isActive() && !m_closing) {
            m_resumeAccepting.stop();
            resumeAccepting();
        }
    });
}

void FrontDoor::refuseOverCapacity(QTcpSocket *socket) {
    if (m_refusing >= kMaxRefusing) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    ++m_refusing;
    const ApiError error{ApiError::Type::Overloaded,
                         m_closing
                             ? QStringLiteral("ModelRelay is shutting down.")
                             : QStringLiteral("ModelRelay has %1 connections open, its limit; try again in a "
                                              "moment, or raise MODELRELAY_MAX_CONNECTIONS "
                                              "(--max-connections) if so many clients are yours")
                                   .arg(connectionCount()),
                         503};
    const QByteArray body = error.toJson();
    const HttpResponseHead head{503,
                                1,
                                {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                                 {QByteArrayLiteral("Content-Length"), QByteArray::number(body.size())},
                                 {QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")},
                                 {QByteArrayLiteral("Connection"), QByteArrayLiteral("close")}}};
    auto *linger = new QTimer(socket);
    linger->setSingleShot(true);
    connect(linger, &QTimer::timeout, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QObject::destroyed, this, [this] { --m_refusing; });
    socket->write(head.toBytes() + body);
    socket->disconnectFromHost();
    linger->start(m_limits.lingerMs);
}

void FrontDoor::onAcceptError(QAbstractSocket::SocketError error) {
    // Out of descriptors (or another resource): the listening socket stays readable, so accepting
    // again at once would spin. Wait for a connection to close, or a moment.
    pauseAccepting();
    if (!m_resumeAccepting.isActive()) {
        emit logMessage(LogLevel::Warn,
                        QStringLiteral("cannot accept connections (%1) with %2 open; new clients wait")
                            .arg(error == QAbstractSocket::SocketResourceError
                                     ? QStringLiteral("out of file descriptors")
                                     : errorString())
                            .arg(connectionCount()));
        m_resumeAccepting.start();
    }
}

} // namespace modelrelay
