#include "ClaudeSetupRunner.h"

#include "ConsoleOutput.h"
#include "backends/LearnedLimits.h"
#include "claudecode/ClaudeSettingsFile.h"
#include "config/ClaudeCodeSetup.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <cstdio>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

QString quoted(const QString &text) {
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.sliced(1, array.size() - 2));
}

QString whereItGoes(const ClaudeSettingsFile::Status &status) {
    switch (status.target) {
    case ClaudeSettingsFile::Target::Anthropic:
        return status.exists
                   ? u"no ANTHROPIC_BASE_URL: Claude Code talks to Anthropic (or to what your shell sets)"_s
                   : u"the file does not exist yet: Claude Code talks to Anthropic (or to what your shell sets)"_s;
    case ClaudeSettingsFile::Target::ThisProxy:
        return u"this proxy (%1)"_s.arg(status.baseUrl);
    case ClaudeSettingsFile::Target::ThisProxyStale:
        return u"this proxy (%1), with other values than now: run --apply again"_s.arg(status.baseUrl);
    case ClaudeSettingsFile::Target::Elsewhere:
        return u"another server: %1"_s.arg(status.baseUrl);
    case ClaudeSettingsFile::Target::Unreadable:
        return u"unknown: the file cannot be used (%1)"_s.arg(status.problem);
    }
    return {};
}

} // namespace

int ClaudeSetupRunner::run(const LoadedConfig &loaded) {
    const ProxyConfig &config = loaded.config;
    for (const QString &warning : loaded.warnings)
        printLine(stderr, u"warning: "_s + warning);
    // Output limits the proxy learned in earlier runs narrow what the configuration says.
    const LearnedLimits learned(config.learnedFile);
    const auto facts = [&learned](const QString &model) {
        return ClaudeCodeSetup::ModelFacts{0, learned.maxOutputTokens(model)};
    };
    const ClaudeCodeSetup::Environment environment =
        ClaudeCodeSetup::environmentFor(config, ClaudeCodeSetup::proxyUrl(config.host, config.port), facts);
    const QList<ClaudeCodeSetup::Variable> variables = ClaudeCodeSetup::variables(environment);
    const ClaudeSettingsFile file(ClaudeSettingsFile::defaultPath(), ClaudeCodeSetup::managedVariables());

    QString message;
    switch (loaded.launch.claudeSetup) {
    case ClaudeSetupAction::Apply:
        if (!file.apply(variables, &message)) {
            printLine(stderr, u"modelrelay: "_s + message);
            return 1;
        }
        printLine(stdout, message);
        return 0;
    case ClaudeSetupAction::Restore:
        if (!file.restore(&message)) {
            printLine(stderr, u"modelrelay: "_s + message);
            return 1;
        }
        printLine(stdout, message);
        return 0;
    default:
        break;
    }
    const ClaudeSettingsFile::Status status = file.status(variables);
    printLine(stdout, u"Claude Code's settings: %1"_s.arg(QDir::toNativeSeparators(file.path())));
    printLine(stdout, u"Claude Code now goes to: %1"_s.arg(whereItGoes(status)));
    printLine(stdout, u"'modelrelay claude-setup --apply' sets in its \"env\" block:"_s);
    for (const auto &[name, value] : variables) {
        // The access token is a secret: it is written into the file, not shown.
        const bool secret = name == "ANTHROPIC_AUTH_TOKEN"_L1 && !config.accessToken.isEmpty();
        printLine(stdout, u"  %1: %2"_s.arg(quoted(name), secret ? u"(the access token)"_s : quoted(value)));
    }
    if (status.canRestore)
        printLine(
            stdout,
            u"A backup of the previous values is kept: 'modelrelay claude-setup --restore' puts them back."_s);
    return status.target == ClaudeSettingsFile::Target::Unreadable ? 1 : 0;
}

} // namespace modelrelay
