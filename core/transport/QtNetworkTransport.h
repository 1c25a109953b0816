// Backends Qt's network stack serves: https://, proxies, credentials in the URL. One
// QNetworkAccessManager opens at most six HTTP/1.1 connections per host and queues the rest,
// which would serialise concurrent streams: managers are added as requests need them, reused
// while they keep connections (and TLS sessions) warm, and let go after a quiet minute.
#pragma once

#include "BackendTransport.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

class QNetworkAccessManager;

namespace modelrelay {

class QtNetworkTransport final : public QObject, public BackendTransport {
    Q_OBJECT
public:
    explicit QtNetworkTransport(QObject *parent = nullptr);

    BackendReply *post(const BackendRequest &request) override;
    int managerCount() const { return int(m_managers.size()); }
    void setIdleTimeoutMs(int ms) { m_release.setInterval(ms); }

private:
    struct Manager {
        QNetworkAccessManager *network;
        int inFlight = 0;
    };
    Manager &acquire();
    void releaseIdle();

    static constexpr int kRequestsPerManager = 6;
    QList<Manager> m_managers;
    QTimer m_release;
};

} // namespace modelrelay
