// Plain http:// backends without a proxy, served in this thread over kept-alive sockets. Qt's
// HTTP client runs in a thread of its own and hands every piece of an answer over to the
// caller's thread; for a local model's stream of small events those hand-overs cost more CPU
// time than the whole translation (profiled: two thirds of the proxy's CPU time relaying streams
// at c=32) and add latency.
#pragma once

#include "BackendTransport.h"
#include "HttpConnectionCache.h"

#include <QObject>

namespace modelrelay {

class PlainHttpTransport final : public QObject, public BackendTransport {
    Q_OBJECT
public:
    explicit PlainHttpTransport(QObject *parent = nullptr);
    ~PlainHttpTransport() override;

    BackendReply *post(const BackendRequest &request) override;
    HttpConnectionCache &connections() { return *m_connections; }

private:
    HttpConnectionCache *m_connections; // a child
};

} // namespace modelrelay
