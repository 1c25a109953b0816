#include "ClaudeCodeTerminal.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

// How a terminal takes the command it should run.
enum class ExecStyle { DashDash, DashE, DashX, Plain, WezTerm };

struct KnownTerminal {
    const char *name;
    ExecStyle style;
};

// In the order tried when $TERMINAL is not set: Debian's chosen one first, then the desktops' own.
constexpr KnownTerminal kTerminals[] = {
    {"x-terminal-emulator", ExecStyle::DashE},
    {"gnome-terminal", ExecStyle::DashDash},
    {"konsole", ExecStyle::DashE},
    {"xfce4-terminal", ExecStyle::DashX},
    {"mate-terminal", ExecStyle::DashX},
    {"kgx", ExecStyle::DashDash},
    {"ptyxis", ExecStyle::DashDash},
    {"tilix", ExecStyle::DashE},
    {"terminator", ExecStyle::DashX},
    {"kitty", ExecStyle::Plain},
    {"alacritty", ExecStyle::DashE},
    {"foot", ExecStyle::Plain},
    {"wezterm", ExecStyle::WezTerm},
    {"lxterminal", ExecStyle::DashE},
    {"xterm", ExecStyle::DashE},
};

ExecStyle styleOf(const QString &program) {
    const QString name = QFileInfo(program).fileName();
    for (const KnownTerminal &terminal : kTerminals)
        if (name == QLatin1String(terminal.name))
            return terminal.style;
    return ExecStyle::DashE; // what x-terminal-emulator, xterm and most others take
}

QStringList execArguments(ExecStyle style, const QStringList &command) {
    switch (style) {
    case ExecStyle::DashDash:
        return QStringList{u"--"_s} + command;
    case ExecStyle::DashX:
        return QStringList{u"-x"_s} + command;
    case ExecStyle::Plain:
        return command;
    case ExecStyle::WezTerm:
        return QStringList{u"start"_s, u"--"_s} + command;
    case ExecStyle::DashE:
        break;
    }
    return QStringList{u"-e"_s} + command;
}

// Single-quoted for sh, bash, zsh and fish alike.
QString shellQuoted(const QString &text) {
    QString escaped = text;
    escaped.replace(u'\'', "'\\''"_L1);
    return u'\'' + escaped + u'\'';
}

QString find(const ClaudeCodeTerminal::Request &request, const QString &name) {
    return request.find ? request.find(name) : QStandardPaths::findExecutable(name);
}

QProcessEnvironment withVariables(const ClaudeCodeTerminal::Request &request) {
    QProcessEnvironment environment = request.base;
    for (const auto &[name, value] : request.variables)
        environment.insert(name, value);
    return environment;
}

} // namespace

ClaudeCodeTerminal::Platform ClaudeCodeTerminal::currentPlatform() {
#if defined(Q_OS_WIN)
    return Platform::Windows;
#elif defined(Q_OS_MACOS)
    return Platform::MacOS;
#else
    return Platform::Linux;
#endif
}

std::optional<ClaudeCodeTerminal::Plan> ClaudeCodeTerminal::plan(const Request &request, QString *error) {
    Plan plan;
    plan.environment = withVariables(request);
    const QString settings = QDir::toNativeSeparators(request.settingsPath);
    switch (request.platform) {
    case Platform::Windows: {
        // cmd's own quoting: QProcess would escape the inner quotes the C runtime way, which
        // `start` and `cmd /k` do not understand (open() passes these as native arguments).
        plan.program = request.base.value(u"ComSpec"_s, u"cmd.exe"_s);
        plan.arguments = {u"/c"_s,      u"start"_s, u"\"Claude Code (ModelRelay)\""_s,
                          u"cmd.exe"_s, u"/k"_s,    u"claude --settings \"%1\""_s.arg(settings)};
        return plan;
    }
    case Platform::MacOS: {
        // Terminal.app is started by launchd, not by us: it does not inherit our environment.
        plan.program = u"open"_s;
        plan.scriptPath =
            QDir(request.base.value(u"TMPDIR"_s, QDir::tempPath()))
                .filePath(u"modelrelay-claude-%1.command"_s.arg(QDateTime::currentMSecsSinceEpoch()));
        plan.arguments = {u"-a"_s, u"Terminal"_s, plan.scriptPath};
        QStringList lines{u"#!/bin/sh"_s, u"rm -f \"$0\""_s};
        for (const auto &[name, value] : request.variables)
            lines << u"export %1=%2"_s.arg(name, shellQuoted(value));
        lines << u"cd"_s
              << u"exec \"${SHELL:-/bin/zsh}\" -i -c %1"_s.arg(shellQuoted(
                     u"claude --settings %1; exec \"${SHELL:-/bin/zsh}\" -l"_s.arg(shellQuoted(settings))));
        plan.script = lines.join(u'\n').toUtf8() + '\n';
        return plan;
    }
    case Platform::Linux:
        break;
    }
    // An interactive shell reads the user's rc file, which is where PATH learns about npm or nvm.
    const QString shell = request.base.value(u"SHELL"_s, u"/bin/sh"_s);
    const QStringList command{
        shell, u"-i"_s, u"-c"_s,
        u"claude --settings %1; exec %2"_s.arg(shellQuoted(settings), shellQuoted(shell))};
    QStringList candidates;
    const QStringList chosen = QProcess::splitCommand(request.base.value(u"TERMINAL"_s));
    if (!chosen.isEmpty()) {
        const QString program = find(request, chosen.constFirst());
        if (program.isEmpty()) {
            *error = u"The terminal in $TERMINAL (%1) was not found."_s.arg(chosen.constFirst());
            return std::nullopt;
        }
        plan.program = program;
        plan.arguments = chosen.mid(1) + execArguments(styleOf(program), command);
        return plan;
    }
    for (const KnownTerminal &terminal : kTerminals) {
        const QString program = find(request, QLatin1String(terminal.name));
        if (program.isEmpty())
            continue;
        plan.program = program;
        plan.arguments = execArguments(terminal.style, command);
        return plan;
    }
    *error =
        u"No terminal program was found (tried $TERMINAL, x-terminal-emulator, gnome-terminal, konsole, "
        "xfce4-terminal, kitty, alacritty, xterm and others). Set TERMINAL to yours, or copy the setup line "
        "into a terminal yourself."_s;
    return std::nullopt;
}

bool ClaudeCodeTerminal::open(const Request &request, QString *message) {
    QString error;
    const std::optional<Plan> planned = plan(request, &error);
    if (!planned) {
        *message = error;
        return false;
    }
    QJsonObject env;
    for (const auto &[name, value] : request.variables)
        env.insert(name, value);
    QDir().mkpath(QFileInfo(request.settingsPath).absolutePath());
    QSaveFile settings(request.settingsPath);
    if (!settings.open(QIODevice::WriteOnly) ||
        settings.write(QJsonDocument(QJsonObject{{u"env"_s, env}}).toJson()) < 0 || !settings.commit()) {
        *message = u"Could not write %1: %2."_s.arg(QDir::toNativeSeparators(request.settingsPath),
                                                    settings.errorString());
        return false;
    }
    QFile::setPermissions(request.settingsPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!planned->scriptPath.isEmpty()) {
        QFile script(planned->scriptPath);
        if (!script.open(QIODevice::WriteOnly) || script.write(planned->script) < 0) {
            *message = u"Could not write %1: %2."_s.arg(planned->scriptPath, script.errorString());
            return false;
        }
        script.close();
        QFile::setPermissions(planned->scriptPath,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    QProcess process;
    process.setProgram(planned->program);
#ifdef Q_OS_WIN
    process.setNativeArguments(planned->arguments.join(u' '));
#else
    process.setArguments(planned->arguments);
#endif
    process.setProcessEnvironment(planned->environment);
    process.setWorkingDirectory(QDir::homePath());
    if (!process.startDetached()) {
        *message = u"Could not start %1: %2."_s.arg(planned->program, process.errorString());
        return false;
    }
    *message = findClaude(request.base).isEmpty()
                   ? u"Opened a terminal, but Claude Code (claude) was not found here. If the terminal says "
                     "\"command not found\", install it: npm install -g @anthropic-ai/claude-code"_s
                   : u"Opened a terminal with Claude Code pointed at ModelRelay."_s;
    return true;
}

QString ClaudeCodeTerminal::findClaude(const QProcessEnvironment &base) {
    const QStringList path = base.value(u"PATH"_s).split(QDir::listSeparator(), Qt::SkipEmptyParts);
    for (const QString &name : {u"claude"_s, u"claude.cmd"_s}) {
        const QString found = QStandardPaths::findExecutable(name, path);
        if (!found.isEmpty())
            return found;
    }
    // Where Claude Code's own installers put it, which GUI sessions often lack on PATH.
    for (const QString &candidate :
         {QDir::home().filePath(u".local/bin/claude"_s), QDir::home().filePath(u".claude/local/claude"_s)})
        if (QFileInfo(candidate).isExecutable())
            return candidate;
    return {};
}

} // namespace modelrelay
