// The one place that knows how QtHttpServer differs between Qt 6.4 (Debian 12) and 6.8+
// (Windows, macOS, Debian 13): how handlers receive the responder, how a streamed body is
// framed, and how a handler learns that its client went away.
#pragma once

#include "backends/BackendRequest.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <functional>
#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace modelrelay {

// A listening socket that also remembers each connection's socket by the peer's port, because
// Qt >= 6.5 no longer hands the socket to request handlers.
class ConnectionTracker : public QTcpServer {
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;
    QTcpSocket *socketForPeerPort(quint16 port) const;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QHash<quint16, QPointer<QTcpSocket>> m_sockets;
};

// Writes one HTTP response (complete, or streamed in chunks) to a client that may vanish at
// any moment; every write after the client left is dropped instead of crashing (Qt 6.4).
class ResponseWriter : public QObject {
    Q_OBJECT
public:
    ~ResponseWriter() override;

    bool isClientConnected() const;
    bool hasStarted() const { return m_started; }

    void sendComplete(int status, const QByteArray &contentType, const QByteArray &body,
                      const HttpHeaders &extraHeaders = {});
    void sendHeadersOnly(int status); // HEAD and 204 answers: no body
    void beginStream(int status, const QByteArray &contentType, const HttpHeaders &extraHeaders = {});
    void writeChunk(const QByteArray &data);
    void endStream();

signals:
    void clientDisconnected();

private:
    friend class HttpDispatcher;
    ResponseWriter(QHttpServerResponder &&responder, QTcpSocket *socket);

    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_started = false;
    bool m_finished = false;
};

// Routes every request of a QHttpServer to one handler, which takes ownership of the writer.
class HttpDispatcher {
public:
    using Handler = std::function<void(const QHttpServerRequest &, std::unique_ptr<ResponseWriter>)>;
    static void install(QHttpServer &server, ConnectionTracker *tracker, QObject *context, Handler handler);
    // Binds the server to an already listening tracker (listen() itself cannot report errors).
    static void bind(QHttpServer &server, ConnectionTracker *tracker);
    static HttpHeaders headers(const QHttpServerRequest &request);
};

} // namespace modelrelay
