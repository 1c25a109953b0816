#include "ClaudeCodeSetup.h"

#include "ProxyConfig.h"

#include <QList>
#include <algorithm>
#include <utility>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

ClaudeCodeSetup::Shell ClaudeCodeSetup::currentShell() {
#ifdef Q_OS_WIN
    return Shell::PowerShell;
#else
    return Shell::Posix;
#endif
}

namespace {
// The output cap and the compaction window, when known.
QList<ClaudeCodeSetup::Variable> limitVariables(const ClaudeCodeSetup::Environment &environment) {
    QList<ClaudeCodeSetup::Variable> variables;
    if (environment.maxOutputTokens > 0)
        variables.append({u"CLAUDE_CODE_MAX_OUTPUT_TOKENS"_s, QString::number(environment.maxOutputTokens)});
    if (environment.autoCompactWindow > 0)
        variables.append(
            {u"CLAUDE_CODE_AUTO_COMPACT_WINDOW"_s, QString::number(environment.autoCompactWindow)});
    return variables;
}
} // namespace

QString ClaudeCodeSetup::line(const Environment &environment, Shell shell) {
    QList<std::pair<QString, QString>> variables{
        {u"ANTHROPIC_BASE_URL"_s, environment.baseUrl},
        {u"ANTHROPIC_API_KEY"_s, environment.apiKey.isEmpty() ? u"modelrelay"_s : environment.apiKey}};
    variables.append(limitVariables(environment));
    QStringList parts;
    for (const auto &[name, value] : variables) {
        if (shell == Shell::PowerShell)
            parts.append(u"$env:%1=\"%2\""_s.arg(name, value));
        else
            parts.append(u"%1=%2"_s.arg(name, value));
    }
    return shell == Shell::PowerShell ? parts.join(u"; "_s) : u"export "_s + parts.join(u' ');
}

QList<ClaudeCodeSetup::Variable> ClaudeCodeSetup::variables(const Environment &environment) {
    QList<Variable> variables{
        {u"ANTHROPIC_BASE_URL"_s, environment.baseUrl},
        {u"ANTHROPIC_AUTH_TOKEN"_s, environment.apiKey.isEmpty() ? u"modelrelay"_s : environment.apiKey},
        {u"ANTHROPIC_API_KEY"_s, QString()}};
    variables.append(limitVariables(environment));
    return variables;
}

QString ClaudeCodeSetup::proxyUrl(const QString &host, quint16 port) {
    QString reachable = host;
    if (host.isEmpty() || host == "0.0.0.0"_L1)
        reachable = u"127.0.0.1"_s;
    else if (host == "::"_L1)
        reachable = u"::1"_s;
    if (reachable.contains(u':'))
        reachable = u'[' + reachable + u']';
    return u"http://%1:%2"_s.arg(reachable).arg(port);
}

QStringList ClaudeCodeSetup::managedVariables() {
    return {u"ANTHROPIC_BASE_URL"_s, u"ANTHROPIC_AUTH_TOKEN"_s, u"ANTHROPIC_API_KEY"_s,
            u"CLAUDE_CODE_MAX_OUTPUT_TOKENS"_s, u"CLAUDE_CODE_AUTO_COMPACT_WINDOW"_s};
}

ClaudeCodeSetup::Environment
ClaudeCodeSetup::environmentFor(const ProxyConfig &config, const QString &baseUrl, const FactsLookup &facts) {
    Environment environment;
    environment.baseUrl = baseUrl;
    environment.apiKey = config.accessToken;
    // The limits of the models Claude Code holds its conversation with (not the background haiku
    // one); when they differ, the smaller wins, so either fits.
    auto smallerKnown = [](int current, int candidate) {
        return candidate <= 0 ? current : current <= 0 ? candidate : std::min(current, candidate);
    };
    ModelMap map = config.modelMap;
    if (map.defaultMaxOutputTokens == 0)
        map.defaultMaxOutputTokens = config.backend.maxOutputTokens;
    for (const QString &model : {u"claude-sonnet-4-5"_s, u"claude-opus-4-5"_s}) {
        const std::optional<ModelTarget> target = map.resolve(model);
        if (!target)
            continue;
        const ModelFacts known = facts ? facts(target->backendModel) : ModelFacts{};
        environment.maxOutputTokens = smallerKnown(
            smallerKnown(environment.maxOutputTokens, target->maxOutputTokens), known.maxOutputTokens);
        // An Ollama rule's context is what num_ctx gets; otherwise the cap, within the model's own.
        const int context = target->contextSize > 0 ? target->contextSize
                            : config.backend.kind == BackendKind::Ollama
                                ? smallerKnown(config.backend.ollamaContextSize, known.contextLength)
                                : known.contextLength;
        environment.autoCompactWindow = smallerKnown(environment.autoCompactWindow, context);
    }
    return environment;
}

} // namespace modelrelay
