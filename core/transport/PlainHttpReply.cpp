#include "PlainHttpReply.h"

#include "HttpConnectionCache.h"

#include <QMetaObject>
#include <QTcpSocket>

namespace modelrelay {

namespace {
QNetworkReply::NetworkError errorForSocket(QAbstractSocket::SocketError error) {
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QNetworkReply::ConnectionRefusedError;
    case QAbstractSocket::RemoteHostClosedError:
        return QNetworkReply::RemoteHostClosedError;
    case QAbstractSocket::HostNotFoundError:
        return QNetworkReply::HostNotFoundError;
    case QAbstractSocket::SocketTimeoutError:
        return QNetworkReply::TimeoutError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

QByteArray hostHeader(const QUrl &url) {
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    if (url.port() != -1 && url.port() != 80)
        host += ':' + QByteArray::number(url.port());
    return host;
}
} // namespace

PlainHttpReply::PlainHttpReply(const BackendRequest &request, HttpConnectionCache &connections,
                               QObject *parent)
    : BackendReply(parent)
    , m_connections(connections)
    , m_body(request.body) {
    const QUrl &url = request.url;
    m_host = url.host();
    m_port = quint16(url.port(80));
    QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty())
        target = "/";
    m_head.reserve(256 + target.size());
    m_head +=
        "POST " + target + " HTTP/1.1\r\nHost: " + hostHeader(url) + "\r\nContent-Type: application/json\r\n";
    for (const auto &[name, value] : request.headers)
        m_head += name + ": " + value + "\r\n";
    m_head += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n\r\n";

    // Reports only once the caller had a chance to connect to it.
    QMetaObject::invokeMethod(this, &PlainHttpReply::connectAndSend, Qt::QueuedConnection);
}

PlainHttpReply::~PlainHttpReply() {
    releaseSocket(false);
}

void PlainHttpReply::connectAndSend() {
    if (isFinished())
        return;
    bool reused = false;
    // A retry goes out on a fresh connection.
    QTcpSocket *socket = m_connections.take(m_host, m_port, !m_retried, &reused);
    m_socket = socket;
    m_socketReused = reused;
    connect(socket, &QTcpSocket::readyRead, this, &PlainHttpReply::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &PlainHttpReply::onDisconnected);
    connect(socket, &QAbstractSocket::errorOccurred, this, &PlainHttpReply::onSocketError);
    if (reused) {
        writeRequest();
        return;
    }
    connect(socket, &QTcpSocket::connected, this, &PlainHttpReply::writeRequest);
    socket->connectToHost(m_host, m_port);
}

void PlainHttpReply::writeRequest() {
    if (!m_socket || isFinished())
        return;
    if (!m_socketReused) // small requests and stream events must not wait for Nagle's algorithm
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->write(m_head);
    if (!m_body.isEmpty())
        m_socket->write(m_body);
    m_socket->flush();
}

void PlainHttpReply::onReadyRead() {
    if (isFinished() || !m_socket)
        return;
    const QByteArray bytes = m_socket->readAll();
    if (bytes.isEmpty())
        return;
    m_socketReused = false; // the server answered: no retry from here on
    const bool hadHead = m_parser.hasHead();
    const qsizetype before = m_received.size();
    m_parser.feed(bytes, m_received);
    if (m_parser.hasFailed()) {
        // A head that cannot be read is reported as no answer at all: nothing of it reached the
        // reader, who may still try another backend.
        fail(QNetworkReply::ProtocolFailure,
             QStringLiteral("invalid HTTP response from the server: %1").arg(m_parser.errorString()));
        return;
    }
    if (m_parser.hasHead() && !hadHead) {
        setHead(m_parser.status(), m_parser.headers());
        if (isFinished())
            return;
    }
    if (m_received.size() > before) {
        emit bytesArrived();
        if (isFinished())
            return;
    }
    if (m_parser.isComplete())
        complete();
}

void PlainHttpReply::onDisconnected() {
    if (isFinished())
        return;
    if (m_socket && m_socket->bytesAvailable() > 0) {
        onReadyRead();
        if (isFinished())
            return;
    }
    if (retryOnFreshConnection())
        return;
    m_parser.connectionClosed();
    if (m_parser.isComplete()) {
        if (m_parser.hasHead() && status() == 0)
            setHead(m_parser.status(), m_parser.headers());
        complete();
        return;
    }
    fail(QNetworkReply::RemoteHostClosedError, QStringLiteral("Connection closed"));
}

void PlainHttpReply::onSocketError(QAbstractSocket::SocketError error) {
    if (isFinished())
        return;
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onDisconnected();
        return;
    }
    if (retryOnFreshConnection())
        return;
    fail(errorForSocket(error), m_socket ? m_socket->errorString() : QString());
}

// A kept-alive connection may have been closed by the server just as the request went out:
// like browsers (RFC 9112, 9.3.1), send it again once on a new connection, as long as not a
// byte of the answer arrived.
bool PlainHttpReply::retryOnFreshConnection() {
    if (!m_socketReused || m_retried)
        return false;
    m_retried = true;
    releaseSocket(false);
    connectAndSend();
    return true;
}

void PlainHttpReply::complete() {
    releaseSocket(m_parser.keepAlive());
    finish();
}

void PlainHttpReply::fail(QNetworkReply::NetworkError error, const QString &message) {
    if (isFinished())
        return;
    releaseSocket(false);
    finish(error, message);
}

void PlainHttpReply::abort() {
    fail(QNetworkReply::OperationCanceledError, QStringLiteral("Operation canceled"));
}

void PlainHttpReply::releaseSocket(bool reusable) {
    QTcpSocket *socket = m_socket.data();
    m_socket = nullptr;
    if (!socket)
        return;
    socket->disconnect(this);
    if (reusable)
        m_connections.giveBack(socket, m_host, m_port);
    else
        HttpConnectionCache::discard(socket);
}

QByteArray PlainHttpReply::readAll() {
    return std::exchange(m_received, QByteArray());
}

} // namespace modelrelay
