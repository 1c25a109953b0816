#include "TransportSelector.h"

#include "PlainHttpTransport.h"
#include "QtNetworkTransport.h"

#include <QNetworkProxy>

namespace modelrelay {

TransportSelector::TransportSelector(QObject *parent)
    : QObject(parent)
    , m_plain(new PlainHttpTransport(this))
    , m_qt(new QtNetworkTransport(this)) {}

bool TransportSelector::isPlainHttp(const QUrl &url) {
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty() || !url.userInfo().isEmpty())
        return false;
    const QList<QNetworkProxy> proxies = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
    return proxies.isEmpty() || proxies.first().type() == QNetworkProxy::NoProxy ||
           proxies.first().type() == QNetworkProxy::DefaultProxy;
}

BackendReply *TransportSelector::post(const BackendRequest &request) {
    return isPlainHttp(request.url) ? m_plain->post(request) : m_qt->post(request);
}

} // namespace modelrelay
