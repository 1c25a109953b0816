// The head of one HTTP/1.x request as the front door read it: request line and header fields,
// with what they say about the body and the connection already worked out.
#pragma once

#include "backends/BackendRequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>

namespace modelrelay {

struct HttpRequestHead {
    QByteArray method; // as sent: "POST"
    QByteArray target; // as sent: "/v1/messages?beta=true"
    QString path;      // the target's path, percent-decoded: "/v1/messages"
    QString query;     // the target's query, still encoded: "beta=true"
    int minorVersion = 1;
    HttpHeaders headers; // in order, names as sent

    bool keepAlive = true;       // the connection may carry another request after this one
    bool expectContinue = false; // "Expect: 100-continue": the client waits for a go-ahead
    bool chunked = false;        // Transfer-Encoding: chunked
    qint64 contentLength = 0;    // without chunked: the body's length

    bool hasBody() const { return chunked || contentLength > 0; }
    // The first value of a header, name matched case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    QList<QByteArray> headerValues(QByteArrayView name) const; // every line of it, in order
};

} // namespace modelrelay
