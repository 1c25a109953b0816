#include "PlainHttpReply.h"

#include "HttpConnectionCache.h"

#include <QMetaObject>
#include <QTcpSocket>
#include <cstring>

namespace modelrelay {

namespace {
// The errors Qt's own HTTP client reports for these statuses, so callers see no difference.
QNetworkReply::NetworkError errorForStatus(int status) {
    switch (status) {
    case 400:
    case 418:
        return QNetworkReply::ProtocolInvalidOperationError;
    case 401:
        return QNetworkReply::AuthenticationRequiredError;
    case 403:
        return QNetworkReply::ContentAccessDenied;
    case 404:
        return QNetworkReply::ContentNotFoundError;
    case 405:
        return QNetworkReply::ContentOperationNotPermittedError;
    case 407:
        return QNetworkReply::ProxyAuthenticationRequiredError;
    case 409:
        return QNetworkReply::ContentConflictError;
    case 410:
        return QNetworkReply::ContentGoneError;
    case 500:
        return QNetworkReply::InternalServerError;
    case 501:
        return QNetworkReply::OperationNotImplementedError;
    case 503:
        return QNetworkReply::ServiceUnavailableError;
    default:
        break;
    }
    if (status >= 500)
        return QNetworkReply::UnknownServerError;
    if (status >= 400)
        return QNetworkReply::UnknownContentError;
    return QNetworkReply::NoError;
}

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

PlainHttpReply::PlainHttpReply(QNetworkAccessManager::Operation operation, const QNetworkRequest &request,
                               QByteArray body, HttpConnectionCache &connections, QObject *parent)
    : QNetworkReply(parent)
    , m_connections(connections)
    , m_body(std::move(body)) {
    setRequest(request);
    setOperation(operation);
    setUrl(request.url());
    open(QIODevice::ReadOnly);

    const QUrl url = request.url();
    m_host = url.host();
    m_port = quint16(url.port(80));
    QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty())
        target = "/";
    const bool post = operation == QNetworkAccessManager::PostOperation;
    m_head.reserve(256 + target.size());
    m_head += post ? "POST " : "GET ";
    m_head += target + " HTTP/1.1\r\nHost: " + hostHeader(url) + "\r\n";
    const QList<QByteArray> names = request.rawHeaderList();
    for (const QByteArray &name : names)
        m_head += name + ": " + request.rawHeader(name) + "\r\n";
    if (post || !m_body.isEmpty())
        m_head += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n";
    m_head += "\r\n";

    // Like Qt's replies, this one reports only once the caller had a chance to connect to it.
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
    const qsizetype before = m_received.size();
    m_parser.feed(bytes, m_received);
    if (m_parser.hasHead() && !m_headPublished && !publishHead())
        return;
    if (m_received.size() > before) {
        emit readyRead();
        if (isFinished())
            return;
    }
    if (m_parser.isComplete())
        complete();
    else if (m_parser.hasFailed())
        finishWithError(
            ProtocolFailure,
            QStringLiteral("invalid HTTP response from the server: %1").arg(m_parser.errorString()));
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
        if (!m_headPublished && !publishHead())
            return;
        complete();
        return;
    }
    finishWithError(RemoteHostClosedError, QStringLiteral("Connection closed"));
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
    finishWithError(errorForSocket(error), m_socket ? m_socket->errorString() : QString());
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

bool PlainHttpReply::publishHead() {
    m_headPublished = true;
    setAttribute(QNetworkRequest::HttpStatusCodeAttribute, m_parser.status());
    setAttribute(QNetworkRequest::HttpReasonPhraseAttribute, m_parser.reasonPhrase());
    for (const auto &[name, value] : m_parser.headers())
        setRawHeader(name, value);
    emit metaDataChanged();
    return !isFinished();
}

void PlainHttpReply::complete() {
    releaseSocket(m_parser.keepAlive());
    setFinished(true);
    if (const NetworkError error = errorForStatus(m_parser.status()); error != NoError) {
        setError(error, QString::fromLatin1(m_parser.reasonPhrase()));
        emit errorOccurred(error);
    }
    emit finished();
}

void PlainHttpReply::finishWithError(NetworkError error, const QString &message) {
    if (isFinished())
        return;
    releaseSocket(false);
    setError(error, message);
    setFinished(true);
    emit errorOccurred(error);
    emit finished();
}

void PlainHttpReply::abort() {
    finishWithError(OperationCanceledError, QStringLiteral("Operation canceled"));
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

qint64 PlainHttpReply::bytesAvailable() const {
    return QNetworkReply::bytesAvailable() + (m_received.size() - m_readOffset);
}

qint64 PlainHttpReply::readData(char *data, qint64 maxSize) {
    const qsizetype available = m_received.size() - m_readOffset;
    if (available == 0)
        return isFinished() ? -1 : 0;
    const qsizetype count = qsizetype(qMin<qint64>(maxSize, available));
    std::memcpy(data, m_received.constData() + m_readOffset, size_t(count));
    m_readOffset += count;
    if (m_readOffset == m_received.size()) {
        m_received.resize(0);
        m_readOffset = 0;
    }
    return count;
}

} // namespace modelrelay
