#include "ClaudeSettingsFile.h"

#include "ClaudeSettingsDocument.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSaveFile>
#include <QUrl>
#include <optional>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

struct Loaded {
    bool exists = false;
    QByteArray bytes;
    std::optional<ClaudeSettingsDocument> document;
    QString problem; // when there is no document
};

Loaded load(const QString &path) {
    Loaded loaded;
    QFile file(path);
    loaded.exists = file.exists();
    if (!loaded.exists) {
        loaded.document = ClaudeSettingsDocument::parse({}, &loaded.problem);
        return loaded;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        loaded.problem = u"it cannot be read (%1)"_s.arg(file.errorString());
        return loaded;
    }
    loaded.bytes = file.readAll();
    loaded.document = ClaudeSettingsDocument::parse(loaded.bytes, &loaded.problem);
    return loaded;
}

// Claude Code reaches the proxy the same way through localhost, 127.0.0.1 or a trailing slash.
QString comparableUrl(const QString &url) {
    QUrl parsed(url.trimmed());
    if (parsed.host().compare("localhost"_L1, Qt::CaseInsensitive) == 0)
        parsed.setHost(u"127.0.0.1"_s);
    QString text = parsed.toString(QUrl::NormalizePathSegments);
    while (text.endsWith(u'/'))
        text.chop(1);
    return text;
}

QString valueOf(const QList<ClaudeSettingsFile::Variable> &variables, const QString &name, bool *found) {
    for (const auto &[key, value] : variables)
        if (key == name) {
            *found = true;
            return value;
        }
    *found = false;
    return {};
}

QString unchangedNote(const QString &path, const QString &problem) {
    return u"Claude Code's settings file %1 was left as it is: %2. Fix it in an editor (or move it "
           "away) and try again."_s.arg(QDir::toNativeSeparators(path), problem);
}

} // namespace

QString ClaudeSettingsFile::configDirectory(const QProcessEnvironment &environment) {
    const QString custom = environment.value(u"CLAUDE_CONFIG_DIR"_s);
    if (!custom.isEmpty())
        return QDir::cleanPath(custom.startsWith("~/"_L1) ? QDir::homePath() + custom.mid(1) : custom);
    return QDir::home().filePath(u".claude"_s);
}

QString ClaudeSettingsFile::defaultPath(const QProcessEnvironment &environment) {
    return QDir(configDirectory(environment)).filePath(u"settings.json"_s);
}

ClaudeSettingsFile::ClaudeSettingsFile(QString path, QStringList managed)
    : m_path(std::move(path))
    , m_managed(std::move(managed)) {}

ClaudeSettingsFile::Status ClaudeSettingsFile::status(const QList<Variable> &wanted) const {
    Status status;
    const Loaded loaded = load(m_path);
    status.exists = loaded.exists;
    status.canRestore = QFileInfo::exists(backupPath());
    if (!loaded.document) {
        status.target = Target::Unreadable;
        status.problem = loaded.problem;
        return status;
    }
    const std::optional<QString> baseUrl = loaded.document->envValue(u"ANTHROPIC_BASE_URL"_s);
    if (!baseUrl || baseUrl->trimmed().isEmpty()) {
        status.target = Target::Anthropic;
        return status;
    }
    status.baseUrl = *baseUrl;
    bool found = false;
    const QString wantedUrl = valueOf(wanted, u"ANTHROPIC_BASE_URL"_s, &found);
    if (!found || comparableUrl(wantedUrl) != comparableUrl(*baseUrl)) {
        status.target = Target::Elsewhere;
        return status;
    }
    status.target = Target::ThisProxy;
    for (const QString &name : m_managed) {
        const QString want = valueOf(wanted, name, &found);
        const std::optional<QString> have = loaded.document->envValue(name);
        if (found != have.has_value() || (found && want != *have && name != "ANTHROPIC_BASE_URL"_L1))
            status.target = Target::ThisProxyStale;
    }
    return status;
}

bool ClaudeSettingsFile::apply(const QList<Variable> &wanted, QString *message) const {
    const Loaded loaded = load(m_path);
    if (!loaded.document) {
        *message = unchangedNote(m_path, loaded.problem);
        return false;
    }
    QList<ClaudeSettingsDocument::EnvChange> changes;
    for (const QString &name : m_managed) {
        bool found = false;
        const QString value = valueOf(wanted, name, &found);
        changes.append({name, found ? std::optional<QString>(value) : std::nullopt});
    }
    QString problem;
    const std::optional<QByteArray> updated = loaded.document->withEnv(changes, &problem);
    if (!updated) {
        *message = unchangedNote(m_path, problem);
        return false;
    }
    // The backup holds the file as it was before ModelRelay first pointed it here: applying again
    // (a new token, new limits) keeps it; pointing it elsewhere in between makes a new one.
    const Target before = status(wanted).target;
    const bool keepBackup =
        QFileInfo::exists(backupPath()) && (before == Target::ThisProxy || before == Target::ThisProxyStale);
    QString error;
    if (!keepBackup && !write(backupPath(), loaded.bytes, &error)) {
        *message = unchangedNote(m_path, u"its backup %1 could not be written (%2)"_s.arg(
                                             QDir::toNativeSeparators(backupPath()), error));
        return false;
    }
    if (!write(m_path, *updated, &error)) {
        *message = u"Could not write Claude Code's settings file %1: %2."_s.arg(
            QDir::toNativeSeparators(m_path), error);
        return false;
    }
    bool found = false;
    *message = u"Claude Code now uses ModelRelay at %1 (set in %2). Claude Code sessions that are already "
               "running keep their old settings until restarted."_s.arg(
                   valueOf(wanted, u"ANTHROPIC_BASE_URL"_s, &found), QDir::toNativeSeparators(m_path));
    return true;
}

bool ClaudeSettingsFile::restore(QString *message) const {
    QFile backupFile(backupPath());
    if (!backupFile.exists()) {
        *message = u"Nothing to restore: ModelRelay has not changed %1 (there is no %2)."_s.arg(
            QDir::toNativeSeparators(m_path), QFileInfo(backupPath()).fileName());
        return false;
    }
    if (!backupFile.open(QIODevice::ReadOnly)) {
        *message = u"Could not read the backup %1: %2."_s.arg(QDir::toNativeSeparators(backupPath()),
                                                              backupFile.errorString());
        return false;
    }
    const QByteArray backupBytes = backupFile.readAll();
    backupFile.close();
    QString problem;
    const std::optional<ClaudeSettingsDocument> backup = ClaudeSettingsDocument::parse(backupBytes, &problem);
    if (!backup) {
        *message = u"The backup %1 cannot be used (%2); %3 was not changed."_s.arg(
            QDir::toNativeSeparators(backupPath()), problem, QDir::toNativeSeparators(m_path));
        return false;
    }
    const Loaded current = load(m_path);
    if (!current.document) {
        *message = unchangedNote(m_path, current.problem);
        return false;
    }
    QByteArray restored;
    if (!current.exists) {
        restored = backupBytes; // the user removed the file since: the whole backup comes back
    } else {
        QList<ClaudeSettingsDocument::EnvChange> changes;
        for (const QString &name : m_managed)
            changes.append({name, backup->envValue(name)});
        const std::optional<QByteArray> updated = current.document->withEnv(changes, &problem);
        if (!updated) {
            *message = unchangedNote(m_path, problem);
            return false;
        }
        restored = *updated;
    }
    // There was no file before Apply, and nothing but ModelRelay's (now empty) env block is left.
    QString ignored;
    const auto result = ClaudeSettingsDocument::parse(restored, &ignored);
    const bool nothingLeft =
        backupBytes.trimmed().isEmpty() && result &&
        (result->object().isEmpty() || result->object() == QJsonObject{{u"env"_s, QJsonObject{}}});
    QString error;
    if (nothingLeft ? (current.exists && !QFile::remove(m_path)) : !write(m_path, restored, &error)) {
        *message = u"Could not write Claude Code's settings file %1: %2."_s.arg(
            QDir::toNativeSeparators(m_path), error.isEmpty() ? u"cannot remove it"_s : error);
        return false;
    }
    QFile::remove(backupPath());
    *message = u"Claude Code's settings are back as they were before ModelRelay changed them (%1)."_s.arg(
        QDir::toNativeSeparators(m_path));
    return true;
}

bool ClaudeSettingsFile::write(const QString &path, const QByteArray &bytes, QString *error) const {
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error =
            u"cannot create the folder %1"_s.arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath()));
        return false;
    }
    const bool created = !QFileInfo::exists(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    // It carries the proxy's access token (and whatever else the user keeps there).
    if (created)
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

} // namespace modelrelay
