// Test helper: one HTTP/1.1 request over its own QTcpSocket with "Connection: close", read to the
// end and de-chunked. Many of them run at once on one thread, which QNetworkAccessManager (six
// connections per host) cannot do: this is how tests open hundreds of concurrent streams.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>

class QTcpSocket;

namespace modelrelay::testing {

class RawHttpExchange : public QObject {
    Q_OBJECT
public:
    RawHttpExchange(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {}, QObject *parent = nullptr);

    void start();
    bool isDone() const { return m_done; }
    int status() const { return m_status; }
    QByteArray header(const QByteArray &lowerCaseName) const { return m_headers.value(lowerCaseName); }
    QByteArray body() const { return m_body; }
    QByteArray transportError() const { return m_error; }

    // Parses a whole response (head + body, chunked or not); false if it is not one.
    static bool parseResponse(const QByteArray &raw, int *status, QHash<QByteArray, QByteArray> *headers,
                              QByteArray *body);

signals:
    void done();

private:
    void finish();

    quint16 m_port;
    QByteArray m_request;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_raw;
    bool m_done = false;
    int m_status = 0;
    QHash<QByteArray, QByteArray> m_headers;
    QByteArray m_body;
    QByteArray m_error;
};

} // namespace modelrelay::testing
