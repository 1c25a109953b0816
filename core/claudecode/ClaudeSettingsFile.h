// Points Claude Code at ModelRelay through its own user settings (the "env" block of
// settings.json in ~/.claude, or in CLAUDE_CONFIG_DIR when that is set) and takes it back. Only
// the variables ModelRelay manages change; every other key stays as it was. The file is replaced
// atomically, and what those variables were before the first Apply is kept in a backup next to
// it ("settings.json.modelrelay-backup") for Restore. A file that is not valid JSON is never
// written over: the user is told where it broke.
#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <utility>

namespace modelrelay {

class ClaudeSettingsFile {
public:
    using Variable = std::pair<QString, QString>;

    enum class Target {
        Anthropic,      // no ANTHROPIC_BASE_URL in the file: Claude Code's default (or the shell's)
        ThisProxy,      // the file holds exactly the wanted variables
        ThisProxyStale, // the base URL is this proxy, other variables differ (e.g. a new token)
        Elsewhere,      // another base URL
        Unreadable,     // not valid JSON, or not readable
    };

    struct Status {
        Target target = Target::Anthropic;
        bool exists = false;
        QString baseUrl;         // what the file says, when it says
        QString problem;         // Unreadable: why, in words
        bool canRestore = false; // a backup from an earlier Apply is there
    };

    // The directory Claude Code keeps its user settings in: CLAUDE_CONFIG_DIR, else ~/.claude
    // (%USERPROFILE%\.claude on Windows).
    static QString
    configDirectory(const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    static QString
    defaultPath(const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    // managed: every variable ModelRelay sets or clears; what Apply does not set is removed.
    explicit ClaudeSettingsFile(QString path, QStringList managed);

    QString path() const { return m_path; }
    QString backupPath() const { return m_path + QStringLiteral(".modelrelay-backup"); }

    Status status(const QList<Variable> &wanted) const;
    // On failure *message says what failed and how to fix it; on success what was done.
    bool apply(const QList<Variable> &wanted, QString *message) const;
    bool restore(QString *message) const;

private:
    bool write(const QString &path, const QByteArray &bytes, QString *error) const;

    QString m_path;
    QStringList m_managed;
};

} // namespace modelrelay
