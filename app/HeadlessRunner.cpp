#include "HeadlessRunner.h"

#include "ConsoleOutput.h"
#include "ShutdownSignals.h"
#include "backends/RequestRouter.h"
#include "config/ClaudeCodeSetup.h"
#include "records/LogText.h"
#include "records/RequestRecordFormatter.h"
#include "server/ProxyService.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QUrl>
#include <cstdio>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
// Listening on every interface (0.0.0.0, ::) is not an address a client can connect to.
QString clientAddress(const QString &listenAddress) {
    QUrl url(listenAddress);
    const QHostAddress host(url.host());
    if (host == QHostAddress::AnyIPv4 || host == QHostAddress::AnyIPv6)
        url.setHost(u"127.0.0.1"_s);
    return url.toString();
}
} // namespace

int HeadlessRunner::run(const LoadedConfig &loaded) {
    QCoreApplication &app = *QCoreApplication::instance();
    const ProxyConfig &config = loaded.config;
    for (const QString &warning : loaded.warnings)
        printLine(stderr, u"warning: "_s + warning);

    ProxyService service;
    ShutdownSignals shutdownSignals;
    QObject::connect(&shutdownSignals, &ShutdownSignals::shutdownRequested, &app, &QCoreApplication::quit);
    QObject::connect(&service, &ProxyService::started, &app, [&](const QString &address) {
        printLine(stdout, u"ModelRelay %1 listening on %2 -> %3 %4"_s.arg(
                              QStringLiteral(MODELRELAY_VERSION), address,
                              backendKindName(config.backend.kind), config.backend.shownUrl()));
        if (config.modelMap.rules.isEmpty() && config.modelMap.defaultModel.isEmpty() &&
            config.backend.kind != BackendKind::Anthropic) // there, model names pass through
            printLine(stderr,
                      u"warning: no model map and no DEFAULT_MODEL: every request will fail until one is "
                      "set (e.g. DEFAULT_MODEL=qwen2.5-coder:32b)"_s);
        for (const QString &problem : RequestRouter::configurationProblems(config))
            printLine(stderr, u"warning: "_s + problem);
        ClaudeCodeSetup::Environment environment =
            ClaudeCodeSetup::environmentFor(config, clientAddress(address));
        // The token stays out of the output (logs are kept and shared); the shell that runs
        // Claude Code has it in its environment as ModelRelay's does, or the user pastes it in.
        if (!environment.apiKey.isEmpty())
            environment.apiKey = u"\"$MODELRELAY_ACCESS_TOKEN\""_s;
        printLine(stdout,
                  u"Use it with: "_s + ClaudeCodeSetup::line(environment, ClaudeCodeSetup::Shell::Posix));
    });
    QObject::connect(&service, &ProxyService::failed, &app, [&](const QString &message) {
        printLine(stderr, u"modelrelay: "_s + message);
        app.exit(1);
    });
    QObject::connect(&service, &ProxyService::requestFinished, &app, [&](const RequestRecord &record) {
        printLine(stdout, RequestRecordFormatter::line(record));
        if (config.logLevel >= LogLevel::Debug) {
            for (const QString &note : RequestRecordFormatter::noteLines(record))
                printLine(stdout, note);
        }
    });
    QObject::connect(&service, &ProxyService::logMessage, &app, [&](LogLevel level, const QString &message) {
        if (level <= config.logLevel)
            printLine(stderr, logLevelName(level) + u": "_s + LogText::printable(message));
    });
    service.start(config);
    return app.exec();
}

} // namespace modelrelay
