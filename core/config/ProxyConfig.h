// Everything the proxy core needs to run, as one value: built from flags, environment,
// a config file and saved settings, and swapped whole when the user changes something.
#pragma once

#include "BackendProfile.h"
#include "ModelMap.h"
#include "Routing.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace modelrelay {

enum class LogLevel { Error, Warn, Info, Debug };

QString logLevelName(LogLevel level);
bool logLevelFromName(const QString &name, LogLevel *level);

struct ProxyConfig {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8787;
    BackendProfile backend;         // the active profile: where requests go unless a route says otherwise
    QList<BackendProfile> profiles; // every saved profile, for routes and fallbacks (may omit backend)
    Routing routing;
    ModelMap modelMap;
    int backendTimeoutMs = 600000;    // until the backend's first byte (PROVIDER_TIMEOUT_MS)
    int streamIdleTimeoutMs = 300000; // between two chunks of a streamed answer
    qint64 maxRequestBytes = 32LL * 1024 * 1024;
    int maxConnections = 512;          // client connections at once (MODELRELAY_MAX_CONNECTIONS)
    int clientHeaderTimeoutMs = 15000; // a request's head must arrive within this
    int clientIdleTimeoutMs = 60000;   // an idle client connection, or a pause in a body, ends after this
    QString accessToken;               // when set, clients must present it (x-api-key or Bearer); a secret
    QString learnedFile; // INI where what is learned about models (token calibration) is kept; "" = memory
    bool keepBillingHeader = false; // keep Claude Code's x-anthropic-billing-header system block
    LogLevel logLevel = LogLevel::Info;

    friend bool operator==(const ProxyConfig &, const ProxyConfig &) = default;
};

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::ProxyConfig)
