// How much the front door lets clients take: connections, time, header and queue sizes. The
// body limit comes with each admitted request (ProxyConfig::maxRequestBytes).
#pragma once

#include "HttpRequestParser.h"

namespace modelrelay {

struct HttpLimits {
    HttpRequestParser::Limits parser;
    int maxConnections = 512;         // more get a 503 and are closed
    int headerTimeoutMs = 15000;      // from a request's first byte to the end of its head
    int bodyIdleTimeoutMs = 60000;    // longest pause while a body arrives
    int keepAliveTimeoutMs = 60000;   // an idle connection between requests
    int lingerMs = 3000;              // reading (and dropping) a refused body before closing
    qint64 maxUnsentBytes = 16 << 20; // answer bytes a client has not taken: more means it stopped reading
};

} // namespace modelrelay
