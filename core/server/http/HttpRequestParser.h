// Reads one HTTP/1.x request from the bytes of a client connection, however they are split, and
// holds it to the front door's limits while it reads: a request line and a header block of
// bounded size, no ambiguous framing (Content-Length with Transfer-Encoding, differing lengths,
// codings other than chunked), and a body no larger than the caller allowed once it had seen the
// head, counted as chunked bytes arrive. It stops after the head until the caller allows the
// body, and after the request, so pipelined bytes stay with the caller. Pure: no sockets.
#pragma once

#include "HttpRequestHead.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace modelrelay {

class HttpRequestParser {
public:
    enum class State {
        Head,     // reading the request line and headers
        HeadDone, // the head is complete; waiting for allowBody()
        Body,     // reading the body
        Complete, // the request is complete (head() and body())
        Failed,   // error(): answer it and close the connection
    };
    struct Limits {
        qsizetype maxRequestLine = 8 * 1024;
        qsizetype maxHeadBytes = 64 * 1024; // request line and header block together
        int maxHeaderFields = 128;
    };
    struct Error {
        int status = 400; // 400, 408, 413, 414, 431, 501 or 505
        QString message;
        qint64 bodyBytes = -1; // 413: the declared length, or what arrived before the limit was hit
    };

    HttpRequestParser() = default;
    explicit HttpRequestParser(Limits limits)
        : m_limits(limits) {}

    // Consumes bytes of the current request; returns how many it used. The rest belongs after
    // the point where it stopped (HeadDone, Complete, Failed).
    qsizetype feed(QByteArrayView bytes);
    // After HeadDone: reads a body of at most maxBytes (Content-Length above it fails at once
    // with 413).
    void allowBody(qint64 maxBytes);
    // Starts over for the next request on the same connection.
    void reset();

    State state() const { return m_state; }
    bool hasStarted() const { return m_headBytes > 0; } // a byte of a request was read
    const HttpRequestHead &head() const { return m_head; }
    const QByteArray &body() const { return m_body; }
    QByteArray takeBody() { return std::exchange(m_body, QByteArray()); }
    const Error &error() const { return m_error; }

private:
    enum class ChunkStep { Size, Data, DataEnd, Trailer };

    qsizetype feedHead(QByteArrayView bytes);
    qsizetype feedBody(QByteArrayView bytes);
    qsizetype feedChunked(QByteArrayView bytes);
    // Collects one LF-terminated line (an optional CR before it is dropped) into m_line; returns
    // the bytes used and sets *complete once the line ended.
    qsizetype takeLine(QByteArrayView bytes, qsizetype limit, int tooLongStatus, bool *complete);
    bool parseRequestLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    void headEnded();
    void fail(int status, const QString &message);

    Limits m_limits;
    State m_state = State::Head;
    ChunkStep m_chunkStep = ChunkStep::Size;
    HttpRequestHead m_head;
    QByteArray m_line;
    QByteArray m_body;
    qsizetype m_headBytes = 0;
    bool m_sawRequestLine = false;
    qint64 m_maxBody = 0;
    qint64 m_remaining = 0; // of the Content-Length body, or of the current chunk
    Error m_error;
};

} // namespace modelrelay
