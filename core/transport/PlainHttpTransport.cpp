#include "PlainHttpTransport.h"

#include "PlainHttpReply.h"

namespace modelrelay {

PlainHttpTransport::PlainHttpTransport(QObject *parent)
    : QObject(parent)
    , m_connections(new HttpConnectionCache(this)) {}

PlainHttpTransport::~PlainHttpTransport() {
    // Before the cache goes: a reply hands its socket back to it.
    qDeleteAll(findChildren<PlainHttpReply *>(Qt::FindDirectChildrenOnly));
}

BackendReply *PlainHttpTransport::post(const BackendRequest &request) {
    return new PlainHttpReply(request, *m_connections, this);
}

} // namespace modelrelay
