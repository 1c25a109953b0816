#include "BackendNetworkAccess.h"

#include "PlainHttpReply.h"

#include <QBuffer>
#include <QNetworkProxy>

namespace modelrelay {

BackendNetworkAccess::BackendNetworkAccess(QObject *parent)
    : QNetworkAccessManager(parent)
    , m_connections(this) {}

BackendNetworkAccess::~BackendNetworkAccess() {
    // Before m_connections goes: a reply hands its socket back to it.
    qDeleteAll(findChildren<PlainHttpReply *>(Qt::FindDirectChildrenOnly));
}

bool BackendNetworkAccess::servesItself(Operation operation, const QUrl &url) const {
    if (operation != GetOperation && operation != PostOperation)
        return false;
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty() || !url.userInfo().isEmpty())
        return false;
    if (proxyFactory() ||
        (proxy().type() != QNetworkProxy::DefaultProxy && proxy().type() != QNetworkProxy::NoProxy))
        return false;
    const QList<QNetworkProxy> proxies = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
    return proxies.isEmpty() || proxies.first().type() == QNetworkProxy::NoProxy ||
           proxies.first().type() == QNetworkProxy::DefaultProxy;
}

QNetworkReply *BackendNetworkAccess::createRequest(Operation operation, const QNetworkRequest &request,
                                                   QIODevice *outgoingData) {
    if (!servesItself(operation, request.url()))
        return QNetworkAccessManager::createRequest(operation, request, outgoingData);
    QByteArray body;
    if (auto *buffer = qobject_cast<QBuffer *>(outgoingData); buffer && buffer->pos() == 0)
        body = buffer->data(); // post(QByteArray) wraps the caller's bytes: share them, no copy
    else if (outgoingData)
        body = outgoingData->readAll();
    return new PlainHttpReply(operation, request, std::move(body), m_connections, this);
}

} // namespace modelrelay
