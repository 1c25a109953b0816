// An error the proxy answers with: knows its HTTP status, its Anthropic error type and how to
// render itself as the Anthropic error body.
#pragma once

#include <QByteArray>
#include <QString>

namespace modelrelay {

struct ApiError {
    enum class Type {
        InvalidRequest,  // 400 invalid_request_error
        Authentication,  // 401 authentication_error
        Permission,      // 403 permission_error
        NotFound,        // 404 not_found_error
        RequestTooLarge, // 413 request_too_large
        RateLimit,       // 429 rate_limit_error
        Api,             // 500 api_error
        Overloaded,      // 529 overloaded_error
    };

    Type type = Type::Api;
    QString message;
    int statusOverride = 0; // e.g. 502/503/504 for backend failures that are still api_error

    static ApiError invalidRequest(const QString &m) { return {Type::InvalidRequest, m, 0}; }
    static ApiError notFound(const QString &m) { return {Type::NotFound, m, 0}; }
    static ApiError api(const QString &m, int status = 0) { return {Type::Api, m, status}; }

    int httpStatus() const;
    QString typeName() const;
    QByteArray toJson() const;     // {"type":"error","error":{"type":...,"message":...}}, compact
    QByteArray toSseEvent() const; // "event: error\ndata: {...}\n\n"
};

} // namespace modelrelay
