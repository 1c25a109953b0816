// What the front door hands requests to (the proxy's routes): first the head alone, to admit or
// refuse before a byte of body is read, then the whole request with its response writer.
#pragma once

#include "HttpRequestHead.h"
#include "anthropic/ApiError.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <memory>
#include <optional>

namespace modelrelay {

class ResponseWriter;

struct HttpRequest {
    HttpRequestHead head;
    QByteArray body;
    QElapsedTimer clock; // started at the request's first byte
};

class HttpRequestHandler {
public:
    struct Admission {
        std::optional<ApiError> refusal; // answered at once; a body is then not read
        qint64 maxBodyBytes = 0;
    };

    virtual ~HttpRequestHandler() = default;
    virtual Admission admit(const HttpRequestHead &head, const QElapsedTimer &clock) = 0;
    // The request is complete; whoever answers takes the writer.
    virtual void handle(HttpRequest request, std::unique_ptr<ResponseWriter> writer) = 0;
    // An admitted request failed while its body was read (too large, malformed, too slow); the
    // front door answered it with `error`.
    virtual void bodyFailed(const HttpRequestHead &head, const ApiError &error,
                            const QElapsedTimer &clock) = 0;
};

} // namespace modelrelay
