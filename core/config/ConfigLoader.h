// Builds the ProxyConfig for a run from, in order of precedence: command-line flags, environment
// variables (the names proxy_claude users already have), a --config file, saved settings, defaults.
#pragma once

#include "ProxyConfig.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <optional>

namespace modelrelay {

// `modelrelay claude-setup --print|--apply|--restore`: Claude Code's own settings, then exit.
enum class ClaudeSetupAction { None, Print, Apply, Restore };

struct LaunchOptions {
    bool headless = false;
    ClaudeSetupAction claudeSetup = ClaudeSetupAction::None;
    bool selfTest = false;   // --self-test: check the backend with Claude Code-shaped requests, then exit
    bool showWindow = false; // --show
    bool showHelp = false;
    bool showVersion = false;
    QString settingsPath; // --settings FILE: INI file instead of the user's settings
};

struct LoadedConfig {
    ProxyConfig config;
    LaunchOptions launch;
    QStringList warnings; // e.g. "HOST=0.0.0.0 exposes the proxy to the network"
};

class ConfigLoader {
public:
    // arguments: argv as QStringList (argv[0] included). base: saved settings or defaults.
    // On bad configuration returns nothing and sets *error to one line naming the setting,
    // e.g. "PORT: 'abc' is not a port number (1-65535)".
    static std::optional<LoadedConfig> load(const QStringList &arguments, const QProcessEnvironment &env,
                                            const ProxyConfig &base, QString *error);
    static QString helpText();
};

} // namespace modelrelay
