// One plain-HTTP/1.1 POST sent over a kept-alive socket in the calling thread (made by
// PlainHttpTransport), its answer read with an HttpResponseParser: head, body bytes as they
// arrive, finished. A kept-alive connection the server closed just as the request went out is
// tried once more on a fresh one.
#pragma once

#include "BackendReply.h"
#include "HttpResponseParser.h"

#include <QAbstractSocket>
#include <QPointer>

class QTcpSocket;

namespace modelrelay {

class HttpConnectionCache;

class PlainHttpReply final : public BackendReply {
    Q_OBJECT
public:
    PlainHttpReply(const BackendRequest &request, HttpConnectionCache &connections, QObject *parent);
    ~PlainHttpReply() override;

    QByteArray readAll() override;
    void abort() override;

private:
    void connectAndSend();
    void writeRequest();
    void onReadyRead();
    void onDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void complete();
    void fail(QNetworkReply::NetworkError error, const QString &message);
    void releaseSocket(bool reusable);
    bool retryOnFreshConnection();

    HttpConnectionCache &m_connections;
    QString m_host;
    quint16 m_port = 80;
    QByteArray m_head; // request line and headers
    QByteArray m_body;
    QPointer<QTcpSocket> m_socket;
    bool m_socketReused = false;
    bool m_retried = false;
    HttpResponseParser m_parser;
    QByteArray m_received; // body bytes not read yet
};

} // namespace modelrelay
