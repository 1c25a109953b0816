// The environment a user pastes into a terminal to point Claude Code at the proxy: the base URL,
// the key the proxy expects (its access token, or any placeholder when it has none), and, when
// the mapped model's limits are known, the output cap and the window Claude Code compacts at, so
// it compacts before a local model's context overflows.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <utility>

namespace modelrelay {

struct ProxyConfig;

class ClaudeCodeSetup {
public:
    enum class Shell { Posix, PowerShell };

    struct Environment {
        QString baseUrl;
        QString apiKey;          // empty: a placeholder (Claude Code insists on some key)
        int maxOutputTokens = 0; // 0: not set
        int autoCompactWindow = 0;
    };

    // What the proxy found out about a backend model while running; 0 = not known.
    struct ModelFacts {
        int contextLength = 0;   // the model's context window, as its server reported it
        int maxOutputTokens = 0; // the largest max_tokens the server accepted
    };
    using FactsLookup = std::function<ModelFacts(const QString &backendModel)>;

    using Variable = std::pair<QString, QString>;

    static Shell currentShell();
    static QString line(const Environment &environment, Shell shell = currentShell());
    // What goes into Claude Code's own settings (its "env" block) or a terminal's environment.
    // The key travels as ANTHROPIC_AUTH_TOKEN (a bearer token: interactive Claude Code does not
    // stop to ask whether to use it, as it does for ANTHROPIC_API_KEY), and ANTHROPIC_API_KEY is
    // emptied so a real Anthropic key in the user's shell is neither sent to the proxy nor preferred.
    static QList<Variable> variables(const Environment &environment);
    // Where a client on this machine reaches a proxy listening on host:port (a wildcard address
    // such as 0.0.0.0 is reached through the loopback).
    static QString proxyUrl(const QString &host, quint16 port);
    // Every variable variables() may set: what "Apply" replaces and "Restore" puts back.
    static QStringList managedVariables();
    // What a client of this configuration, listening at baseUrl, should set; facts (when given)
    // narrow the limits the configuration names to what the backend turned out to have.
    static Environment environmentFor(const ProxyConfig &config, const QString &baseUrl,
                                      const FactsLookup &facts = {});
};

} // namespace modelrelay
