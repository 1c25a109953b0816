#include "HttpCompat.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QtGlobal>

#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
#include <QHttpHeaders>
#endif

namespace modelrelay {

namespace {
using StatusCode = QHttpServerResponder::StatusCode;
StatusCode toStatus(int status) {
    return static_cast<StatusCode>(status);
}

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
QHttpHeaders toQHttpHeaders(const QByteArray &contentType, const HttpHeaders &extra) {
    QHttpHeaders headers;
    if (!contentType.isEmpty())
        headers.append(QHttpHeaders::WellKnownHeader::ContentType, contentType);
    for (const auto &[name, value] : extra)
        headers.append(name, value);
    return headers;
}
#endif
} // namespace

QTcpSocket *ConnectionTracker::socketForPeerPort(quint16 port) const {
    return m_sockets.value(port);
}

void ConnectionTracker::incomingConnection(qintptr descriptor) {
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Stream events are small writes spaced in time: without TCP_NODELAY, Nagle's algorithm holds
    // each one until the client's delayed ACK (~40 ms) arrives.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const quint16 port = socket->peerPort();
    m_sockets.insert(port, socket);
    connect(socket, &QObject::destroyed, this, [this, port, socket] {
        if (m_sockets.value(port) == nullptr || m_sockets.value(port) == socket)
            m_sockets.remove(port);
    });
    addPendingConnection(socket);
}

ResponseWriter::ResponseWriter(QHttpServerResponder &&responder, QTcpSocket *socket)
    : m_responder(std::make_unique<QHttpServerResponder>(std::move(responder)))
    , m_socket(socket) {
    if (socket) {
        connect(socket, &QTcpSocket::disconnected, this, &ResponseWriter::clientDisconnected);
        connect(socket, &QObject::destroyed, this, &ResponseWriter::clientDisconnected);
    }
}

ResponseWriter::~ResponseWriter() = default;

bool ResponseWriter::isClientConnected() const {
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void ResponseWriter::sendComplete(int status, const QByteArray &contentType, const QByteArray &body,
                                  const HttpHeaders &extraHeaders) {
    if (m_started || !isClientConnected())
        return;
    m_started = m_finished = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->write(body, toQHttpHeaders(contentType, extraHeaders), toStatus(status));
#else
    m_responder->writeStatusLine(toStatus(status));
    m_responder->writeHeader("Content-Type", contentType);
    m_responder->writeHeader("Content-Length", QByteArray::number(body.size()));
    for (const auto &[name, value] : extraHeaders)
        m_responder->writeHeader(name, value);
    m_responder->writeBody(body);
#endif
}

void ResponseWriter::sendHeadersOnly(int status) {
    if (m_started || !isClientConnected())
        return;
    m_started = m_finished = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->write(toStatus(status));
#else
    m_responder->writeStatusLine(toStatus(status));
    m_responder->writeHeader("Content-Length", "0");
    m_responder->writeBody(QByteArray());
#endif
}

void ResponseWriter::beginStream(int status, const QByteArray &contentType, const HttpHeaders &extraHeaders) {
    if (m_started || !isClientConnected())
        return;
    m_started = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeBeginChunked(toQHttpHeaders(contentType, extraHeaders), toStatus(status));
#else
    m_responder->writeStatusLine(toStatus(status));
    m_responder->writeHeader("Content-Type", contentType);
    m_responder->writeHeader("Transfer-Encoding", "chunked");
    for (const auto &[name, value] : extraHeaders)
        m_responder->writeHeader(name, value);
    m_responder->writeBody(QByteArray());
#endif
}

void ResponseWriter::writeChunk(const QByteArray &data) {
    if (!m_started || m_finished || data.isEmpty() || !isClientConnected())
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeChunk(data);
#else
    // Qt 6.4 does not frame a streamed body: chunked encoding is written by hand.
    m_responder->writeBody(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
#endif
}

void ResponseWriter::endStream() {
    if (!m_started || m_finished || !isClientConnected())
        return;
    m_finished = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeEndChunked(QByteArray());
#else
    m_responder->writeBody(QByteArrayLiteral("0\r\n\r\n"));
#endif
}

void HttpDispatcher::install(QHttpServer &server, ConnectionTracker *tracker, QObject *context,
                             Handler handler) {
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    server.setMissingHandler(context, [tracker, handler](const QHttpServerRequest &request,
                                                         QHttpServerResponder &responder) {
        QTcpSocket *socket = tracker->socketForPeerPort(request.remotePort());
        handler(request, std::unique_ptr<ResponseWriter>(new ResponseWriter(std::move(responder), socket)));
    });
#else
    Q_UNUSED(tracker);
    Q_UNUSED(context);
    server.setMissingHandler([handler](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        QTcpSocket *socket = responder.socket();
        handler(request, std::unique_ptr<ResponseWriter>(new ResponseWriter(std::move(responder), socket)));
    });
#endif
}

HttpHeaders HttpDispatcher::headers(const QHttpServerRequest &request) {
    HttpHeaders headers;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    const QHttpHeaders all = request.headers();
    for (qsizetype i = 0; i < all.size(); ++i) {
        const QLatin1StringView name = all.nameAt(i);
        headers.append({QByteArray(name.data(), name.size()), all.valueAt(i).toByteArray()});
    }
#else
    for (const auto &[name, value] : request.headers())
        headers.append({name, value});
#endif
    return headers;
}

void HttpDispatcher::bind(QHttpServer &server, ConnectionTracker *tracker) {
    server.bind(tracker);
}

} // namespace modelrelay
