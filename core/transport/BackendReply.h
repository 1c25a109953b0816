// One request to a backend in flight, as its reader sees it: the head once it arrived, body bytes
// as they arrive, then finished, with a transport error or none (an HTTP error status is not a
// transport error: read status()). Made by a BackendTransport; deleting it aborts it.
#pragma once

#include "backends/BackendRequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QNetworkReply>
#include <QObject>
#include <QString>

namespace modelrelay {

class BackendReply : public QObject {
    Q_OBJECT
public:
    int status() const { return m_status; }       // 0 until the head arrived
    QByteArray header(QByteArrayView name) const; // first value, name matched case-insensitively
    bool isFinished() const { return m_finished; }
    QNetworkReply::NetworkError error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    virtual QByteArray readAll() = 0; // the body bytes that arrived since the last call
    // Stops it; finished() follows at once with OperationCanceledError unless it had finished.
    virtual void abort() = 0;

signals:
    void headReceived();
    void bytesArrived();
    void finished();

protected:
    explicit BackendReply(QObject *parent)
        : QObject(parent) {}
    void setHead(int status, const HttpHeaders &headers); // emits headReceived()
    // Emits finished() once.
    void finish(QNetworkReply::NetworkError error = QNetworkReply::NoError, const QString &errorString = {});

private:
    int m_status = 0;
    HttpHeaders m_headers;
    bool m_finished = false;
    QNetworkReply::NetworkError m_error = QNetworkReply::NoError;
    QString m_errorString;
};

} // namespace modelrelay
