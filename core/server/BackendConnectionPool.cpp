#include "BackendConnectionPool.h"

#include "BackendNetworkAccess.h"

namespace modelrelay {

BackendConnectionPool::BackendConnectionPool(QObject *parent)
    : QObject(parent) {}

QNetworkAccessManager *BackendConnectionPool::acquire() {
    for (QNetworkAccessManager *manager : std::as_const(m_managers)) {
        int &count = m_inFlight[manager];
        if (count < kRequestsPerManager) {
            ++count;
            return manager;
        }
    }
    auto *manager = new BackendNetworkAccess(this);
    manager->setAutoDeleteReplies(false);
    m_managers.append(manager);
    m_inFlight.insert(manager, 1);
    return manager;
}

void BackendConnectionPool::release(QNetworkAccessManager *manager) {
    auto it = m_inFlight.find(manager);
    if (it != m_inFlight.end() && it.value() > 0)
        --it.value();
}

} // namespace modelrelay
