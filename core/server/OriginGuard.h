// Keeps web pages from driving the local proxy: a browser request carries an Origin header
// (refused unless it is a loopback origin), and a DNS-rebinding attack carries a foreign
// host name in Host (refused unless it is an IP literal, localhost or the configured host).
// Claude Code and the SDKs send no Origin header and a loopback Host.
#pragma once

#include "anthropic/ApiError.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace modelrelay {

class OriginGuard {
public:
    static std::optional<ApiError> check(const QByteArray &origin, const QByteArray &host,
                                         const QString &configuredHost);
};

} // namespace modelrelay
