#include "RawClient.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QtCore/qtestsupport_core.h>

namespace modelrelay::testing {

// Waits run the event loop: the fake backend a test talks to through the proxy may live on the
// test's own thread.
RawClient::RawClient(quint16 port, int timeoutMs) {
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    (void)QTest::qWaitFor(
        [this] {
            return m_socket.state() == QAbstractSocket::ConnectedState ||
                   m_socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
}

bool RawClient::send(const QByteArray &bytes) {
    if (!isConnected())
        return false;
    m_socket.write(bytes);
    (void)QTest::qWaitFor([this] { return m_socket.bytesToWrite() == 0 || !isConnected(); }, 5000);
    return isConnected() && m_socket.bytesToWrite() == 0;
}

void RawClient::waitForBytes(const QDeadlineTimer &deadline) {
    (void)QTest::qWaitFor([this] { return m_socket.bytesAvailable() > 0 || !isConnected(); },
                          int(qMax<qint64>(1, deadline.remainingTime())));
    m_buffer += m_socket.readAll();
    if (!isConnected())
        m_closed = true;
}

std::optional<RawResponse> RawClient::readResponse(int timeoutMs) {
    const QDeadlineTimer deadline(timeoutMs);
    while (true) {
        qsizetype used = 0;
        if (auto response = parse(m_buffer, m_closed, &used)) {
            m_buffer.remove(0, used);
            return response;
        }
        if (m_closed || deadline.hasExpired())
            return std::nullopt;
        waitForBytes(deadline);
    }
}

bool RawClient::waitForClose(int timeoutMs) {
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_closed && !deadline.hasExpired())
        waitForBytes(deadline);
    return m_closed;
}

std::optional<RawResponse> RawClient::parse(const QByteArray &raw, bool closed, qsizetype *used) {
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    RawResponse response;
    const QList<QByteArray> lines = raw.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.constFirst().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.at(0).startsWith("HTTP/1."))
        return std::nullopt;
    response.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            response.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                    lines.at(i).mid(colon + 1).trimmed());
    }
    qsizetype at = headEnd + 4;
    if (response.status < 200 || response.status == 204 || response.status == 304) {
        *used = at;
        return response;
    }
    if (response.header("transfer-encoding").toLower() == "chunked") {
        while (true) {
            const qsizetype lineEnd = raw.indexOf("\r\n", at);
            if (lineEnd < 0)
                return std::nullopt;
            bool ok = false;
            const qsizetype size =
                raw.mid(at, lineEnd - at).split(';').constFirst().trimmed().toLongLong(&ok, 16);
            if (!ok || lineEnd + 2 + size + 2 > raw.size())
                return std::nullopt;
            at = lineEnd + 2 + size + 2;
            if (size == 0) {
                *used = at;
                return response;
            }
            response.body += raw.mid(lineEnd + 2, size);
        }
    }
    if (response.headers.contains("content-length")) {
        const qsizetype length = response.header("content-length").toLongLong();
        if (raw.size() - at < length)
            return std::nullopt;
        response.body = raw.mid(at, length);
        *used = at + length;
        return response;
    }
    if (!closed) // the body runs until the connection closes
        return std::nullopt;
    response.body = raw.mid(at);
    *used = raw.size();
    return response;
}

} // namespace modelrelay::testing
