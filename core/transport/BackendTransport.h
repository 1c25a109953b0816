// How requests reach backends and their answers come back, behind one interface: plain HTTP/1.1
// over kept-alive sockets in this thread (PlainHttpTransport) or Qt's network stack for https,
// proxies and credentials in the URL (QtNetworkTransport); TransportSelector picks per URL.
#pragma once

#include "backends/BackendRequest.h"

namespace modelrelay {

class BackendReply;

class BackendTransport {
public:
    virtual ~BackendTransport() = default;
    // POSTs request.body (JSON) with request.headers; the reply is the caller's (a child of this
    // transport's object until then: it goes with it).
    virtual BackendReply *post(const BackendRequest &request) = 0;
};

} // namespace modelrelay
