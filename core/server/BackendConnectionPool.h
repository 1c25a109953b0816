// Hands out QNetworkAccessManagers for backend requests. One manager opens at most six
// HTTP/1.1 connections per host and queues the rest, which would serialise concurrent
// streams; the pool adds managers instead, while reusing idle ones keeps connections
// (and TLS sessions) warm.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>

class QNetworkAccessManager;

namespace modelrelay {

class BackendConnectionPool : public QObject {
    Q_OBJECT
public:
    explicit BackendConnectionPool(QObject *parent = nullptr);

    QNetworkAccessManager *acquire();
    void release(QNetworkAccessManager *manager);

private:
    static constexpr int kRequestsPerManager = 6;
    QList<QNetworkAccessManager *> m_managers;
    QHash<QNetworkAccessManager *, int> m_inFlight;
};

} // namespace modelrelay
