#include "OriginGuard.h"

#include <QHostAddress>
#include <QUrl>

namespace modelrelay {

namespace {
bool isLoopbackName(QString host) {
    // "localhost." is the same name written fully qualified.
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
        host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// "127.0.0.1:8787" -> "127.0.0.1", "[::1]:8787" -> "::1", "localhost" -> "localhost"
QString hostWithoutPort(const QByteArray &hostHeader) {
    const QString host = QString::fromLatin1(hostHeader).trimmed();
    if (host.startsWith(QLatin1Char('['))) {
        const qsizetype end = host.indexOf(QLatin1Char(']'));
        return end > 0 ? host.mid(1, end - 1) : host;
    }
    const qsizetype colon = host.lastIndexOf(QLatin1Char(':'));
    return colon >= 0 && host.indexOf(QLatin1Char(':')) == colon ? host.left(colon) : host;
}
} // namespace

std::optional<ApiError> OriginGuard::check(const QByteArray &origin, const QByteArray &host,
                                           const QString &configuredHost) {
    if (!origin.isEmpty()) {
        const QUrl url(QString::fromLatin1(origin));
        if (!url.isValid() || !isLoopbackName(url.host()))
            return ApiError{
                ApiError::Type::Permission,
                QStringLiteral("ModelRelay refuses requests from web pages (Origin: %1). Only local "
                               "programs such as Claude Code may use the proxy.")
                    .arg(QString::fromLatin1(origin)),
                0};
    }
    if (!host.isEmpty()) {
        const QString name = hostWithoutPort(host);
        const bool ipLiteral = !QHostAddress(name).isNull();
        const bool configured = name.compare(configuredHost, Qt::CaseInsensitive) == 0 ||
                                name.compare(configuredHost + QLatin1Char('.'), Qt::CaseInsensitive) == 0;
        if (!ipLiteral && !isLoopbackName(name) && !configured)
            return ApiError{
                ApiError::Type::Permission,
                QStringLiteral("ModelRelay refuses requests for host '%1': use 127.0.0.1 or localhost "
                               "(this blocks DNS-rebinding attacks from web pages).")
                    .arg(name),
                0};
    }
    return std::nullopt;
}

} // namespace modelrelay
