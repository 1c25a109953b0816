// One plain-HTTP/1.1 request (GET or POST) sent over a keep-alive socket in the calling thread,
// with its response read as a QNetworkReply: status and headers (metaDataChanged), body bytes as
// they arrive (readyRead), then finished. Made by BackendNetworkAccess.
#pragma once

#include "HttpResponseParser.h"

#include <QAbstractSocket>
#include <QByteArray>
#include <QNetworkReply>
#include <QPointer>

class QTcpSocket;

namespace modelrelay {

class HttpConnectionCache;

class PlainHttpReply final : public QNetworkReply {
    Q_OBJECT
public:
    PlainHttpReply(QNetworkAccessManager::Operation operation, const QNetworkRequest &request,
                   QByteArray body, HttpConnectionCache &connections, QObject *parent);
    ~PlainHttpReply() override;

    void abort() override;
    qint64 bytesAvailable() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    void connectAndSend();
    void writeRequest();
    void onReadyRead();
    void onDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    bool publishHead(); // false when the reader aborted meanwhile
    void complete();
    void finishWithError(NetworkError error, const QString &message);
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
    bool m_headPublished = false;
    HttpResponseParser m_parser;
    QByteArray m_received; // body bytes not read yet, from m_readOffset on
    qsizetype m_readOffset = 0;
};

} // namespace modelrelay
