#include "ClientAccess.h"

#include <QList>

namespace modelrelay {

namespace {
// Compares in time independent of where the first difference is, so the token can't be guessed
// byte by byte from response times.
bool sameSecret(const QByteArray &given, const QByteArray &expected) {
    unsigned char difference = given.size() == expected.size() ? 0 : 1;
    for (qsizetype i = 0; i < expected.size(); ++i)
        difference |= static_cast<unsigned char>(expected.at(i) ^ (i < given.size() ? given.at(i) : 0));
    return difference == 0;
}

QByteArray bearerToken(const QByteArray &authorization) {
    const QByteArray trimmed = authorization.trimmed();
    constexpr QByteArrayView scheme("bearer ");
    if (trimmed.size() <= scheme.size() || trimmed.left(scheme.size()).toLower() != scheme)
        return {};
    return trimmed.mid(scheme.size()).trimmed();
}
} // namespace

HttpHeaders ClientAccess::withoutAccessToken(const HttpHeaders &headers, const QString &accessToken) {
    if (accessToken.isEmpty())
        return headers;
    const QByteArray token = accessToken.toUtf8();
    HttpHeaders kept;
    for (const auto &[name, value] : headers) {
        const bool apiKey = name.compare("x-api-key", Qt::CaseInsensitive) == 0;
        const bool authorization = name.compare("authorization", Qt::CaseInsensitive) == 0;
        if ((apiKey && sameSecret(value.trimmed(), token)) ||
            (authorization && sameSecret(bearerToken(value), token)))
            continue;
        kept.append({name, value});
    }
    return kept;
}

std::optional<ApiError> ClientAccess::checkToken(const QByteArray &xApiKey, const QByteArray &authorization,
                                                 const QString &requiredToken) {
    if (requiredToken.isEmpty())
        return std::nullopt;
    const QByteArray expected = requiredToken.toUtf8();
    if (sameSecret(xApiKey.trimmed(), expected) || sameSecret(bearerToken(authorization), expected))
        return std::nullopt;
    const bool presented = !xApiKey.isEmpty() || !authorization.isEmpty();
    return ApiError{ApiError::Type::Authentication,
                    presented
                        ? QStringLiteral("ModelRelay refused the access token: it does not match the one "
                                         "set in ModelRelay. Set ANTHROPIC_API_KEY to ModelRelay's "
                                         "access token (copy the setup line from the tray menu).")
                        : QStringLiteral("ModelRelay requires an access token: set ANTHROPIC_API_KEY to "
                                         "ModelRelay's access token (copy the setup line from the tray "
                                         "menu), sent as x-api-key or Authorization: Bearer."),
                    0};
}

std::optional<ApiError> ClientAccess::checkContentType(const QByteArray &contentType) {
    const QByteArray mediaType = contentType.split(';').constFirst().trimmed().toLower();
    if (mediaType.isEmpty() || mediaType == "application/json" ||
        (mediaType.startsWith("application/") && mediaType.endsWith("+json")))
        return std::nullopt;
    return ApiError{ApiError::Type::InvalidRequest,
                    QStringLiteral("ModelRelay accepts only JSON request bodies (Content-Type: "
                                   "application/json), not '%1'.")
                        .arg(QString::fromLatin1(mediaType)),
                    415};
}

} // namespace modelrelay
