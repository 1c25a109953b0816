// Opens the platform's terminal with Claude Code running in it, pointed at the proxy, for users
// who do not want Claude Code's settings file touched. The variables go into the terminal's
// environment (not its command line, which other users can read) and into a small settings file
// passed with `claude --settings`, whose values win over an ANTHROPIC_BASE_URL in the user's own
// settings.json. When Claude Code exits, the user's shell stays open with the same environment.
// The only place with per-OS terminal code.
#pragma once

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <utility>

namespace modelrelay {

class ClaudeCodeTerminal {
public:
    enum class Platform { Linux, MacOS, Windows };
    using Variable = std::pair<QString, QString>;
    using ExecutableFinder = std::function<QString(const QString &name)>; // "" when not found

    struct Plan {
        QString program;
        QStringList arguments;
        QProcessEnvironment environment;
        QString scriptPath; // macOS: a one-shot .command file Terminal runs (it deletes itself)
        QByteArray script;
    };

    struct Request {
        QList<Variable> variables;
        QString settingsPath; // where the `claude --settings` file goes (written by open())
        Platform platform = currentPlatform();
        QProcessEnvironment base = QProcessEnvironment::systemEnvironment();
        ExecutableFinder find; // empty: QStandardPaths::findExecutable
    };

    static Platform currentPlatform();
    // What open() would run. Linux: $TERMINAL, else the first terminal found of
    // x-terminal-emulator, gnome-terminal, konsole, xfce4-terminal, … xterm; nothing (and *error)
    // when none is installed. macOS: Terminal.app. Windows: a new console window (cmd.exe).
    static std::optional<Plan> plan(const Request &request, QString *error);
    // Writes the settings file (owner-only) and the script, starts the terminal detached.
    // *message says what happened, or what failed and what to do instead.
    static bool open(const Request &request, QString *message);
    // Whether `claude` is on this program's PATH or where its installers put it.
    static QString findClaude(const QProcessEnvironment &base = QProcessEnvironment::systemEnvironment());
};

} // namespace modelrelay
