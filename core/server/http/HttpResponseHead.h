// The status line and header block of one response, as bytes, plus the chunked-encoding frames
// of a streamed body. Pure.
#pragma once

#include "backends/BackendRequest.h"

#include <QByteArray>

namespace modelrelay {

struct HttpResponseHead {
    int status = 200;
    int minorVersion = 1; // answer HTTP/1.0 clients in their version
    HttpHeaders headers;

    QByteArray toBytes() const;
    static QByteArray reasonPhrase(int status);      // "" for statuses without one (529)
    static QByteArray chunk(const QByteArray &data); // "<hex size>\r\n<data>\r\n"
    static QByteArray lastChunk() { return QByteArrayLiteral("0\r\n\r\n"); }
};

} // namespace modelrelay
