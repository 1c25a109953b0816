// Writes the response to one request: complete (with Content-Length) or streamed (chunked, or
// until the connection closes for an HTTP/1.0 client), to a client that may leave at any moment:
// writes after it left are dropped. Made by the connection for each request it hands over.
#pragma once

#include "backends/BackendRequest.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

namespace modelrelay {

class HttpConnection;

class ResponseWriter : public QObject {
    Q_OBJECT
public:
    ~ResponseWriter() override; // a response left unfinished ends its connection

    bool isClientConnected() const;
    bool hasStarted() const { return m_started; }

    void sendComplete(int status, const QByteArray &contentType, const QByteArray &body,
                      const HttpHeaders &extraHeaders = {});
    void sendHeadersOnly(int status); // 204, and answers to HEAD: no body
    void beginStream(int status, const QByteArray &contentType, const HttpHeaders &extraHeaders = {});
    void writeChunk(const QByteArray &data);
    void endStream();

signals:
    void clientDisconnected();

private:
    friend class HttpConnection;
    ResponseWriter(HttpConnection *connection, bool headRequest, int minorVersion, bool keepAlive);
    void writeHead(int status, HttpHeaders headers, bool closeAfter);
    bool closesAfter() const;
    void finish(bool closeAfter);

    QPointer<HttpConnection> m_connection;
    bool m_headRequest;
    int m_minorVersion;
    bool m_keepAlive;
    bool m_started = false;
    bool m_finished = false;
    bool m_chunked = false;
    bool m_closeAfter = false;
};

} // namespace modelrelay
