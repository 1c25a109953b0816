// Reads one HTTP/1.1 response from the bytes of a connection, however they are split: the status
// line and headers, then the body with its framing removed (Content-Length, chunked, or "until the
// connection closes"). Interim 1xx responses are skipped. Pure: no sockets, so every byte boundary
// can be tested.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace modelrelay {

class HttpResponseParser {
public:
    enum class State { Head, Body, Complete, Failed };

    // Consumes the next bytes of the connection and appends the body bytes they complete to
    // `body`. Bytes after a complete response are not consumed (the connection is then not
    // reusable). Does nothing once complete or failed.
    void feed(QByteArrayView bytes, QByteArray &body);
    // The peer closed the connection: completes a body that runs until the close, fails otherwise
    // (unless already complete).
    void connectionClosed();

    State state() const { return m_state; }
    bool hasHead() const { return m_headDone; } // a complete head (even if the body failed later)
    bool isComplete() const { return m_state == State::Complete; }
    bool hasFailed() const { return m_state == State::Failed; }
    QString errorString() const { return m_error; }

    int status() const { return m_status; }
    QByteArray reasonPhrase() const { return m_reason; }
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const; // first value, name matched case-insensitively
    // The connection may carry the next request once this response is complete.
    bool keepAlive() const { return m_keepAlive && m_state == State::Complete && !m_trailingBytes; }

private:
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkStep { Size, Data, DataEnd, Trailer };

    qsizetype feedHead(QByteArrayView bytes);
    qsizetype feedBody(QByteArrayView bytes, QByteArray &body);
    qsizetype feedChunked(QByteArrayView bytes, QByteArray &body);
    // Collects one CRLF- (or LF-) terminated line into m_line; returns the bytes used, and sets
    // *complete when the terminator was seen.
    qsizetype takeLine(QByteArrayView bytes, qsizetype limit, bool *complete);
    bool parseStatusLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    void headEnded(); // decides framing and keep-alive once the blank line is seen
    void fail(const QString &message);

    State m_state = State::Head;
    Framing m_framing = Framing::None;
    ChunkStep m_chunkStep = ChunkStep::Size;
    QByteArray m_line;
    qsizetype m_headBytes = 0;
    bool m_headDone = false;
    int m_status = 0;
    QByteArray m_reason;
    bool m_http10 = false;
    bool m_keepAlive = true;
    bool m_trailingBytes = false;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    qint64 m_remaining = 0; // body bytes left (Length) or bytes left of the current chunk
    QString m_error;
};

} // namespace modelrelay
