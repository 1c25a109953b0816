#include "ResponseWriter.h"

#include "HttpConnection.h"
#include "HttpResponseHead.h"

namespace modelrelay {

ResponseWriter::ResponseWriter(HttpConnection *connection, bool headRequest, int minorVersion, bool keepAlive)
    : m_connection(connection)
    , m_headRequest(headRequest)
    , m_minorVersion(minorVersion)
    , m_keepAlive(keepAlive) {}

ResponseWriter::~ResponseWriter() {
    if (!m_finished && m_connection)
        m_connection->abandonResponse(this);
}

bool ResponseWriter::isClientConnected() const {
    return m_connection && m_connection->isOpen();
}

bool ResponseWriter::closesAfter() const {
    return !m_keepAlive || (m_connection && m_connection->isClosingWhenIdle());
}

void ResponseWriter::writeHead(int status, HttpHeaders headers, bool closeAfter) {
    m_started = true;
    m_closeAfter = closeAfter;
    if (closeAfter)
        headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("close")});
    else if (m_minorVersion == 0)
        headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("keep-alive")});
    m_connection->writeResponseBytes(HttpResponseHead{status, m_minorVersion, headers}.toBytes());
}

void ResponseWriter::sendComplete(int status, const QByteArray &contentType, const QByteArray &body,
                                  const HttpHeaders &extraHeaders) {
    if (m_started || !isClientConnected())
        return;
    HttpHeaders headers{{QByteArrayLiteral("Content-Type"), contentType},
                        {QByteArrayLiteral("Content-Length"), QByteArray::number(body.size())}};
    headers += extraHeaders;
    writeHead(status, headers, closesAfter());
    if (!m_headRequest && !body.isEmpty())
        m_connection->writeResponseBytes(body);
    finish(m_closeAfter);
}

void ResponseWriter::sendHeadersOnly(int status) {
    if (m_started || !isClientConnected())
        return;
    HttpHeaders headers;
    if (status != 204)
        headers.append({QByteArrayLiteral("Content-Length"), QByteArrayLiteral("0")});
    writeHead(status, headers, closesAfter());
    finish(m_closeAfter);
}

void ResponseWriter::beginStream(int status, const QByteArray &contentType, const HttpHeaders &extraHeaders) {
    if (m_started || !isClientConnected())
        return;
    HttpHeaders headers{{QByteArrayLiteral("Content-Type"), contentType}};
    // HTTP/1.0 has no chunked encoding: the body runs until the connection closes.
    m_chunked = m_minorVersion >= 1;
    if (m_chunked)
        headers.append({QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked")});
    headers += extraHeaders;
    writeHead(status, headers, closesAfter() || !m_chunked);
}

void ResponseWriter::writeChunk(const QByteArray &data) {
    if (!m_started || m_finished || data.isEmpty() || m_headRequest || !isClientConnected())
        return;
    m_connection->writeResponseBytes(m_chunked ? HttpResponseHead::chunk(data) : data);
}

void ResponseWriter::endStream() {
    if (!m_started || m_finished || !isClientConnected())
        return;
    if (m_chunked && !m_headRequest)
        m_connection->writeResponseBytes(HttpResponseHead::lastChunk());
    finish(m_closeAfter);
}

void ResponseWriter::finish(bool closeAfter) {
    m_finished = true;
    if (m_connection)
        m_connection->finishResponse(this, closeAfter);
}

} // namespace modelrelay
