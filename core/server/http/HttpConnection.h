// One client connection: reads requests with an HttpRequestParser under the front door's limits
// and timeouts, asks the handler to admit each head before its body is read (answering 100
// Continue when the client waits for it), hands complete requests over with a ResponseWriter, and
// takes them one at a time: a pipelined request is read only after the answer before it ended,
// so answers leave in order. Refused bodies are read and dropped for a moment before the
// connection closes, so the client sees the refusal rather than a reset.
#pragma once

#include "HttpLimits.h"
#include "HttpRequestParser.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace modelrelay {

class HttpRequestHandler;
class ResponseWriter;
struct ApiError;

class HttpConnection : public QObject {
    Q_OBJECT
public:
    // Takes the socket (a connected one) as a child.
    HttpConnection(QTcpSocket *socket, HttpRequestHandler &handler, const HttpLimits &limits,
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    // No further requests: closes now when idle, else after the answer being written.
    void closeWhenIdle();
    bool isClosingWhenIdle() const { return m_closeWhenIdle; }
    bool isOpen() const { return m_state != State::Closed; }
    bool isAnswering() const { return m_state == State::Answering; }

    // Maps a parser or timeout status to the Anthropic error the client gets.
    static ApiError errorFor(const HttpRequestParser::Error &error, qint64 maxBodyBytes);

signals:
    void closed(); // deletes itself after

private:
    friend class ResponseWriter;
    enum class State { Waiting, Reading, Answering, Draining, Closed };

    void onReadyRead();
    void processInput();
    void scheduleProcessInput();
    void onHeadDone();
    void dispatch();
    void refuse(const ApiError &error, bool midRequest = false);
    void onTimeout();
    void drainThenClose();
    void closeGracefully();
    void closeNow();
    void onDisconnected();

    // From the ResponseWriter of the request being answered.
    void writeResponseBytes(const QByteArray &bytes);
    void finishResponse(ResponseWriter *writer, bool closeAfter);
    void abandonResponse(ResponseWriter *writer);

    QTcpSocket *m_socket;
    HttpRequestHandler &m_handler;
    HttpLimits m_limits;
    HttpRequestParser m_parser;
    QByteArray m_input; // read from the socket, not yet parsed
    QElapsedTimer m_requestClock;
    QTimer m_timer; // the timeout of the current state
    QDeadlineTimer m_lingerDeadline;
    State m_state = State::Waiting;
    QPointer<ResponseWriter> m_writer;
    qint64 m_maxBodyBytes = 0;
    qint64 m_drainedBytes = 0;
    bool m_closeWhenIdle = false;
    bool m_processQueued = false;
    bool m_drainAfterAnswer = false;
    bool m_ended = false; // closed() was emitted
};

} // namespace modelrelay
