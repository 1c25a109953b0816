// Decides whether a client may use the proxy: when the user set an access token, the client must
// present it the way Anthropic clients present an API key (x-api-key, or Authorization: Bearer),
// so Claude Code needs nothing but ANTHROPIC_API_KEY=<token>. Without a token everyone on the
// listening address may (loopback by default). Also refuses bodies that are not JSON: an HTML
// form can post text/plain or form-encoded data cross-site, never application/json.
#pragma once

#include "anthropic/ApiError.h"
#include "backends/BackendRequest.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace modelrelay {

class ClientAccess {
public:
    static std::optional<ApiError> checkToken(const QByteArray &xApiKey, const QByteArray &authorization,
                                              const QString &requiredToken);
    // The client's headers without the credentials that carry ModelRelay's own access token: that
    // token opens ModelRelay, it is nobody else's business (a backend that gets the client's
    // credentials must not get it).
    static HttpHeaders withoutAccessToken(const HttpHeaders &headers, const QString &accessToken);
    // Absent, or a JSON media type (application/json, application/*+json), with any parameters.
    static std::optional<ApiError> checkContentType(const QByteArray &contentType);
};

} // namespace modelrelay
