#include "ApiError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

int ApiError::httpStatus() const {
    if (statusOverride != 0)
        return statusOverride;
    switch (type) {
    case Type::InvalidRequest:
        return 400;
    case Type::Authentication:
        return 401;
    case Type::Permission:
        return 403;
    case Type::NotFound:
        return 404;
    case Type::RequestTooLarge:
        return 413;
    case Type::RateLimit:
        return 429;
    case Type::Api:
        return 500;
    case Type::Overloaded:
        return 529;
    }
    return 500;
}

QString ApiError::typeName() const {
    switch (type) {
    case Type::InvalidRequest:
        return QStringLiteral("invalid_request_error");
    case Type::Authentication:
        return QStringLiteral("authentication_error");
    case Type::Permission:
        return QStringLiteral("permission_error");
    case Type::NotFound:
        return QStringLiteral("not_found_error");
    case Type::RequestTooLarge:
        return QStringLiteral("request_too_large");
    case Type::RateLimit:
        return QStringLiteral("rate_limit_error");
    case Type::Api:
        return QStringLiteral("api_error");
    case Type::Overloaded:
        return QStringLiteral("overloaded_error");
    }
    return QStringLiteral("api_error");
}

QByteArray ApiError::toJson() const {
    const QJsonObject error{{QStringLiteral("type"), typeName()}, {QStringLiteral("message"), message}};
    const QJsonObject body{{QStringLiteral("type"), QStringLiteral("error")},
                           {QStringLiteral("error"), error}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray ApiError::toSseEvent() const {
    return "event: error\ndata: " + toJson() + "\n\n";
}

} // namespace modelrelay
