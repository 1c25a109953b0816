#include "LoginItem.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>
#include <algorithm>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("LoginItem", text);
}

// Desktop Entry spec: an argument with reserved characters is double-quoted, with the characters
// " ` $ and backslash escaped by a backslash inside; % is doubled (field codes); then the general
// string escape doubles every backslash again.
QString execArgument(const QString &path) {
    static const QString reserved = u" \t\n\"'\\><~|&;$*?#()`"_s;
    const bool needsQuotes =
        std::any_of(path.begin(), path.end(), [](QChar c) { return reserved.contains(c); });
    QString argument = path;
    argument.replace(u'%', "%%"_L1);
    if (!needsQuotes)
        return argument;
    QString quoted;
    for (const QChar c : std::as_const(argument)) {
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    quoted.replace(u'\\', "\\\\"_L1);
    return u'"' + quoted + u'"';
}

#if defined(Q_OS_WIN)

// packaging/CMakeLists.txt deletes this value when ModelRelay is uninstalled.
const auto kRunKey = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"_L1;
const auto kRunValue = "ModelRelay"_L1;

QString entryLocation() {
    return QString(kRunKey) + u'\\' + QString(kRunValue);
}

bool entryEnabled() {
    return QSettings(kRunKey, QSettings::NativeFormat).contains(kRunValue);
}

bool writeEntry(const QString &executable, QString *error) {
    QSettings run(kRunKey, QSettings::NativeFormat);
    run.setValue(kRunValue, LoginItem::runKeyCommand(QDir::toNativeSeparators(executable)));
    run.sync();
    if (run.status() == QSettings::NoError)
        return true;
    if (error)
        *error = tr("Cannot write the registry value %1.").arg(entryLocation());
    return false;
}

bool removeEntry(QString *error) {
    QSettings run(kRunKey, QSettings::NativeFormat);
    run.remove(kRunValue);
    run.sync();
    if (run.status() == QSettings::NoError)
        return true;
    if (error)
        *error = tr("Cannot remove the registry value %1.").arg(entryLocation());
    return false;
}

#else // a file: a LaunchAgent on macOS, an XDG autostart entry elsewhere

QString entryLocation() {
#if defined(Q_OS_MACOS)
    return QDir::homePath() + "/Library/LaunchAgents/"_L1 + QLatin1StringView(LoginItem::kAppId) +
           ".plist"_L1;
#else
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (!QDir::isAbsolutePath(config)) // the spec says to ignore relative paths
        config = QDir::homePath() + "/.config"_L1;
    return config + "/autostart/"_L1 + QLatin1StringView(LoginItem::kAppId) + ".desktop"_L1;
#endif
}

bool entryEnabled() {
    const QString path = entryLocation();
    if (!QFileInfo::exists(path))
        return false;
#if defined(Q_OS_MACOS)
    return true;
#else
    // Session settings dialogs switch an entry off by editing it rather than deleting it.
    QSettings entry(path, QSettings::IniFormat);
    entry.beginGroup(u"Desktop Entry"_s);
    return !entry.value(u"Hidden"_s, false).toBool() &&
           entry.value(u"X-GNOME-Autostart-enabled"_s, true).toBool();
#endif
}

bool writeEntry(const QString &executable, QString *error) {
    const QString path = entryLocation();
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        if (error)
            *error = tr("Cannot create the folder %1.").arg(QFileInfo(path).absolutePath());
        return false;
    }
#if defined(Q_OS_MACOS)
    const QString text = LoginItem::launchAgentPlist(executable);
#else
    const QString text = LoginItem::desktopEntry(executable);
#endif
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.commit())
        return true;
    if (error)
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
}

bool removeEntry(QString *error) {
    QFile file(entryLocation());
    if (!file.exists() || file.remove())
        return true;
    if (error)
        *error = tr("Cannot remove %1: %2").arg(file.fileName(), file.errorString());
    return false;
}

#endif

} // namespace

LoginItem::LoginItem(QString executable)
    : m_executable(executable.isEmpty() ? QCoreApplication::applicationFilePath() : std::move(executable)) {}

bool LoginItem::isEnabled() const {
    return entryEnabled();
}

bool LoginItem::setEnabled(bool enabled, QString *error) {
    return enabled ? writeEntry(m_executable, error) : removeEntry(error);
}

QString LoginItem::location() const {
    return entryLocation();
}

QString LoginItem::desktopEntry(const QString &executable) {
    return "[Desktop Entry]\n"
           "Type=Application\n"
           "Name=ModelRelay\n"
           "Comment=Run Claude Code on the models you choose\n"
           "Exec="_L1 +
           execArgument(executable) +
           "\n"
           "Icon=modelrelay\n"
           "Terminal=false\n"
           "X-GNOME-Autostart-enabled=true\n"_L1;
}

QString LoginItem::launchAgentPlist(const QString &executable) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>Label</key>
    <string>%1</string>
    <key>ProgramArguments</key>
    <array>
        <string>%2</string>
    </array>
    <key>RunAtLoad</key>
    <true/>
    <key>LimitLoadToSessionType</key>
    <string>Aqua</string>
    <key>ProcessType</key>
    <string>Interactive</string>
</dict>
</plist>
)"_L1.arg(QLatin1StringView(kAppId), executable.toHtmlEscaped());
}

QString LoginItem::runKeyCommand(const QString &nativeExecutable) {
    return u'"' + nativeExecutable + u'"';
}

} // namespace modelrelay
