#include "QtNetworkTransport.h"

#include "QtBackendReply.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <memory>

namespace modelrelay {

QtNetworkTransport::QtNetworkTransport(QObject *parent)
    : QObject(parent) {
    m_release.setInterval(60000);
    m_release.setSingleShot(true);
    connect(&m_release, &QTimer::timeout, this, &QtNetworkTransport::releaseIdle);
}

QtNetworkTransport::Manager &QtNetworkTransport::acquire() {
    for (Manager &manager : m_managers) {
        if (manager.inFlight < kRequestsPerManager)
            return manager;
    }
    auto *network = new QNetworkAccessManager(this);
    network->setAutoDeleteReplies(false);
    m_managers.append({network, 0});
    return m_managers.last();
}

BackendReply *QtNetworkTransport::post(const BackendRequest &backend) {
    QNetworkRequest request(backend.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : backend.headers)
        request.setRawHeader(name, value);
    Manager &manager = acquire();
    ++manager.inFlight;
    QNetworkAccessManager *network = manager.network;
    auto *reply = new QtBackendReply(network->post(request, backend.body), this);
    // Whichever comes first: the reply finishes, or its reader deletes it while it runs.
    auto counted = std::make_shared<bool>(false);
    auto done = [this, network, counted] {
        if (std::exchange(*counted, true))
            return;
        for (Manager &m : m_managers) {
            if (m.network == network && m.inFlight > 0)
                --m.inFlight;
        }
        m_release.start();
    };
    connect(reply, &BackendReply::finished, this, done);
    connect(reply, &QObject::destroyed, this, done);
    return reply;
}

void QtNetworkTransport::releaseIdle() {
    // The first manager stays: its connections are the warm ones for the next request.
    for (qsizetype i = m_managers.size() - 1; i >= 1; --i) {
        if (m_managers.at(i).inFlight == 0)
            delete m_managers.takeAt(i).network;
    }
}

} // namespace modelrelay
