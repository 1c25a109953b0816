#include "HttpConnection.h"

#include "HttpRequestHandler.h"
#include "ResponseWriter.h"
#include "anthropic/ApiError.h"

#include <QTcpSocket>

namespace modelrelay {

namespace {
constexpr qint64 kReadChunk = 64 * 1024;
constexpr qint64 kMaxDrainedBytes = 64LL * 1024 * 1024;
constexpr int kLingerQuietMs = 300;

QString megabytes(qint64 bytes) {
    return QString::number(double(bytes) / (1024 * 1024), 'f', 1);
}
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpRequestHandler &handler, const HttpLimits &limits,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_limits(limits)
    , m_parser(limits.parser) {
    socket->setParent(this);
    // Qt reads no more than this ahead of the parser: a client pipelining megabytes behind a
    // request being answered is held back by TCP, not buffered here.
    socket->setReadBufferSize(kReadChunk);
    // Stream events are small writes spaced in time: without TCP_NODELAY, Nagle's algorithm holds
    // each one until the client's delayed ACK (~40 ms) arrives.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    m_timer.start(m_limits.keepAliveTimeoutMs);
    scheduleProcessInput(); // bytes may have arrived with the connection
}

HttpConnection::~HttpConnection() {
    if (ResponseWriter *writer = m_writer.data())
        writer->m_connection = nullptr;
}

void HttpConnection::closeWhenIdle() {
    m_closeWhenIdle = true;
    if (m_state == State::Waiting)
        closeGracefully();
}

void HttpConnection::onReadyRead() {
    if (m_state == State::Draining) {
        m_drainedBytes += m_socket->skip(m_socket->bytesAvailable());
        if (m_drainedBytes > kMaxDrainedBytes || m_lingerDeadline.hasExpired())
            closeNow();
        else
            m_timer.start(kLingerQuietMs); // a client that stopped sending has read the refusal
        return;
    }
    processInput();
}

void HttpConnection::scheduleProcessInput() {
    if (m_processQueued)
        return;
    m_processQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processQueued = false;
            processInput();
        },
        Qt::QueuedConnection);
}

void HttpConnection::processInput() {
    while (m_state == State::Waiting || m_state == State::Reading) {
        switch (m_parser.state()) {
        case HttpRequestParser::State::HeadDone:
            onHeadDone();
            continue;
        case HttpRequestParser::State::Complete:
            dispatch();
            return;
        case HttpRequestParser::State::Failed: {
            const ApiError error = errorFor(m_parser.error(), m_maxBodyBytes);
            if (m_maxBodyBytes > 0) // it was admitted: the handler keeps a record of it
                m_handler.bodyFailed(m_parser.head(), error, m_requestClock);
            refuse(error);
            return;
        }
        case HttpRequestParser::State::Head:
        case HttpRequestParser::State::Body:
            break;
        }
        if (m_input.isEmpty()) {
            m_input = m_socket->read(kReadChunk);
            if (m_input.isEmpty())
                return;
        }
        if (m_state == State::Waiting) {
            m_state = State::Reading;
            m_requestClock.start();
            m_timer.start(m_limits.headerTimeoutMs);
        }
        const qsizetype used = m_parser.feed(m_input);
        m_input.remove(0, used);
        if (used > 0 && m_parser.state() == HttpRequestParser::State::Body)
            m_timer.start(m_limits.bodyIdleTimeoutMs);
    }
}

void HttpConnection::onHeadDone() {
    const HttpRequestHead &head = m_parser.head();
    const HttpRequestHandler::Admission admission = m_handler.admit(head, m_requestClock);
    if (admission.refusal) {
        refuse(*admission.refusal);
        return;
    }
    m_maxBodyBytes = admission.maxBodyBytes;
    m_parser.allowBody(admission.maxBodyBytes);
    if (m_parser.state() == HttpRequestParser::State::Body) {
        m_timer.start(m_limits.bodyIdleTimeoutMs);
        // The client holds the body back until it hears this (curl waits a second otherwise).
        if (head.expectContinue && head.minorVersion >= 1 && m_input.isEmpty())
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    }
}

void HttpConnection::dispatch() {
    m_timer.stop();
    HttpRequest request{m_parser.head(), m_parser.takeBody(), m_requestClock};
    m_parser.reset();
    m_maxBodyBytes = 0;
    auto *writer = new ResponseWriter(this, request.head.method == "HEAD", request.head.minorVersion,
                                      request.head.keepAlive);
    m_writer = writer;
    m_state = State::Answering;
    m_handler.handle(std::move(request), std::unique_ptr<ResponseWriter>(writer));
}

// Answers a request that will not be handled. The connection stays open only when nothing of
// the request is still to come; otherwise what still comes is read and dropped for a moment.
void HttpConnection::refuse(const ApiError &error, bool midRequest) {
    const HttpRequestParser::State parsed = m_parser.state();
    const HttpRequestHead head = m_parser.head();
    const bool unread = midRequest || parsed == HttpRequestParser::State::Failed ||
                        (parsed != HttpRequestParser::State::Complete && head.hasBody());
    m_timer.stop();
    m_parser.reset();
    m_maxBodyBytes = 0;
    m_drainAfterAnswer = unread;
    std::unique_ptr<ResponseWriter> writer(
        new ResponseWriter(this, head.method == "HEAD", head.minorVersion, head.keepAlive && !unread));
    m_writer = writer.get();
    m_state = State::Answering;
    HttpHeaders extra;
    if (error.httpStatus() == 503)
        extra.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
    writer->sendComplete(error.httpStatus(), QByteArrayLiteral("application/json"), error.toJson(), extra);
}

void HttpConnection::writeResponseBytes(const QByteArray &bytes) {
    if (m_state == State::Closed)
        return;
    m_socket->write(bytes);
    // A client that stops reading while its answer streams would have the answer pile up here.
    if (m_socket->bytesToWrite() > m_limits.maxUnsentBytes)
        closeNow();
}

void HttpConnection::finishResponse(ResponseWriter *writer, bool closeAfter) {
    if (writer != m_writer || m_state != State::Answering)
        return;
    m_writer = nullptr;
    if (std::exchange(m_drainAfterAnswer, false)) {
        drainThenClose();
        return;
    }
    if (closeAfter || m_closeWhenIdle) {
        closeGracefully();
        return;
    }
    m_state = State::Waiting;
    m_timer.start(m_limits.keepAliveTimeoutMs);
    scheduleProcessInput(); // the next pipelined request may be waiting
}

void HttpConnection::abandonResponse(ResponseWriter *writer) {
    if (writer != m_writer)
        return;
    // Its answer cannot be completed (the server is stopping): the client must see a cut, not
    // wait for the rest.
    m_writer = nullptr;
    closeNow();
}

void HttpConnection::onTimeout() {
    switch (m_state) {
    case State::Waiting:
        closeGracefully();
        return;
    case State::Reading: {
        const bool inBody = m_parser.state() == HttpRequestParser::State::Body;
        const ApiError error =
            errorFor({408, inBody ? QStringLiteral("the request body stopped arriving (nothing for %1 s)")
                                        .arg(m_limits.bodyIdleTimeoutMs / 1000.0)
                                  : QStringLiteral("the request's head did not arrive within %1 s")
                                        .arg(m_limits.headerTimeoutMs / 1000.0)},
                     m_maxBodyBytes);
        if (inBody)
            m_handler.bodyFailed(m_parser.head(), error, m_requestClock);
        refuse(error, true);
        return;
    }
    case State::Draining:
    case State::Closed: // a client that does not take the last bytes does not hold the connection
        closeNow();
        return;
    case State::Answering:
        return;
    }
}

void HttpConnection::drainThenClose() {
    m_state = State::Draining;
    m_input.clear();
    m_lingerDeadline.setRemainingTime(m_limits.lingerMs);
    onReadyRead();
}

void HttpConnection::closeGracefully() {
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timer.start(m_limits.lingerMs);
    m_socket->disconnectFromHost(); // after what is still to be written
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        onDisconnected();
}

void HttpConnection::closeNow() {
    m_state = State::Closed;
    m_socket->disconnect(this);
    m_socket->abort();
    onDisconnected();
}

void HttpConnection::onDisconnected() {
    if (std::exchange(m_ended, true))
        return;
    m_timer.stop();
    m_state = State::Closed;
    if (ResponseWriter *writer = m_writer.data())
        emit writer->clientDisconnected();
    emit closed();
    deleteLater();
}

ApiError HttpConnection::errorFor(const HttpRequestParser::Error &error, qint64 maxBodyBytes) {
    switch (error.status) {
    case 413:
        return {ApiError::Type::RequestTooLarge,
                QStringLiteral("request body of %1 MB is over ModelRelay's limit of %2 MB; raise it with "
                               "MODELRELAY_MAX_REQUEST_MB (--max-request-mb) if you meant to send this much")
                    .arg(error.bodyBytes >= 0 ? megabytes(error.bodyBytes)
                                              : QStringLiteral("more than %1").arg(megabytes(maxBodyBytes)))
                    .arg(megabytes(maxBodyBytes)),
                0};
    case 400:
        return ApiError::invalidRequest(
            QStringLiteral("ModelRelay could not read the request: %1").arg(error.message));
    default:
        return {ApiError::Type::InvalidRequest,
                QStringLiteral("ModelRelay refused the request: %1").arg(error.message), error.status};
    }
}

} // namespace modelrelay
