#include "RawHttpExchange.h"

#include <QHostAddress>
#include <QTcpSocket>

namespace modelrelay::testing {

namespace {
bool dechunk(const QByteArray &chunked, QByteArray *out) {
    qsizetype at = 0;
    while (true) {
        const qsizetype lineEnd = chunked.indexOf("\r\n", at);
        if (lineEnd < 0)
            return false;
        bool ok = false;
        const qsizetype size =
            chunked.mid(at, lineEnd - at).split(';').constFirst().trimmed().toLongLong(&ok, 16);
        if (!ok || lineEnd + 2 + size + 2 > chunked.size())
            return false;
        if (size == 0)
            return true;
        out->append(chunked.mid(lineEnd + 2, size));
        at = lineEnd + 2 + size + 2;
    }
}
} // namespace

RawHttpExchange::RawHttpExchange(quint16 port, const QByteArray &method, const QByteArray &path,
                                 const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers,
                                 QObject *parent)
    : QObject(parent)
    , m_port(port) {
    m_request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                "\r\nConnection: close\r\nContent-Type: application/json\r\n";
    for (const auto &[name, value] : headers)
        m_request += name + ": " + value + "\r\n";
    m_request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

void RawHttpExchange::start() {
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, [this] { m_socket->write(m_request); });
    // Done when the response is complete, whether or not the server honours "Connection: close".
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        m_raw += m_socket->readAll();
        int status = 0;
        QHash<QByteArray, QByteArray> headers;
        QByteArray body;
        if (parseResponse(m_raw, &status, &headers, &body) &&
            (headers.contains("content-length") || headers.value("transfer-encoding") == "chunked"))
            finish();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &RawHttpExchange::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            m_error = m_socket->errorString().toUtf8();
        finish();
    });
    m_socket->connectToHost(QHostAddress::LocalHost, m_port);
}

void RawHttpExchange::finish() {
    if (m_done)
        return;
    m_done = true;
    m_raw += m_socket->readAll();
    m_headers.clear();
    m_body.clear();
    if (!parseResponse(m_raw, &m_status, &m_headers, &m_body) && m_error.isEmpty())
        m_error = "incomplete HTTP response (" + QByteArray::number(m_raw.size()) + " bytes)";
    m_socket->abort();
    emit done();
}

bool RawHttpExchange::parseResponse(const QByteArray &raw, int *status,
                                    QHash<QByteArray, QByteArray> *headers, QByteArray *body) {
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = raw.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.constFirst().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.at(0).startsWith("HTTP/1."))
        return false;
    *status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            headers->insert(lines.at(i).left(colon).trimmed().toLower(),
                            lines.at(i).mid(colon + 1).trimmed());
    }
    const QByteArray rest = raw.mid(headEnd + 4);
    if (headers->value("transfer-encoding").toLower() == "chunked")
        return dechunk(rest, body);
    if (headers->contains("content-length")) {
        const qsizetype length = headers->value("content-length").toLongLong();
        if (rest.size() < length)
            return false;
        *body = rest.left(length);
        return true;
    }
    *body = rest;
    return true;
}

} // namespace modelrelay::testing
