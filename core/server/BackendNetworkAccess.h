// A QNetworkAccessManager that sends plain http:// GET and POST requests itself (PlainHttpReply,
// over keep-alive sockets in the calling thread) and leaves everything else — https://, proxies,
// credentials in the URL — to Qt. Qt's HTTP client runs in a thread of its own and hands every
// piece of an answer over to the caller's thread; for a local model's stream of small events
// those hand-overs cost more CPU time than the whole translation (profiled: the QNAM threads
// used two thirds of the proxy's CPU time relaying streams at c=32) and add latency.
#pragma once

#include "HttpConnectionCache.h"

#include <QNetworkAccessManager>

namespace modelrelay {

class BackendNetworkAccess final : public QNetworkAccessManager {
    Q_OBJECT
public:
    explicit BackendNetworkAccess(QObject *parent = nullptr);
    ~BackendNetworkAccess() override;

    int idleConnectionCount() const { return m_connections.idleCount(); }

protected:
    QNetworkReply *createRequest(Operation operation, const QNetworkRequest &request,
                                 QIODevice *outgoingData = nullptr) override;

private:
    bool servesItself(Operation operation, const QUrl &url) const;

    HttpConnectionCache m_connections;
};

} // namespace modelrelay
