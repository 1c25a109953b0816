// Test helper: one client connection that sends whatever bytes a test gives it (pipelined
// requests, malformed heads, bodies in pieces) and reads the responses one by one, blocking. For
// servers on another thread or in another process.
#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHash>
#include <QTcpSocket>
#include <optional>

namespace modelrelay::testing {

struct RawResponse {
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // names lower-case
    QByteArray body;                       // de-chunked
    QByteArray header(const QByteArray &lowerCaseName) const { return headers.value(lowerCaseName); }
};

class RawClient {
public:
    explicit RawClient(quint16 port, int timeoutMs = 5000);

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // False when the server closed or reset the connection before taking all of it.
    bool send(const QByteArray &bytes);
    // The next response (interim 1xx ones included), waiting up to timeoutMs.
    std::optional<RawResponse> readResponse(int timeoutMs = 5000);
    // True once the server closed the connection (within timeoutMs).
    bool waitForClose(int timeoutMs = 5000);
    QByteArray unread() const { return m_buffer; }

    // One response from the start of `raw`: its size in *used, or nothing when incomplete.
    static std::optional<RawResponse> parse(const QByteArray &raw, bool closed, qsizetype *used);

private:
    void waitForBytes(const QDeadlineTimer &deadline);

    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_closed = false;
};

} // namespace modelrelay::testing
