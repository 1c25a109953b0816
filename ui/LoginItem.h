// "Start at login": the platform's own per-user autostart entry for this executable. Linux: an
// XDG autostart file, Windows: the per-user Run key, macOS: a LaunchAgent. Whether it is enabled
// is always read from that entry, so changes made in the desktop's own settings show up.
#pragma once

#include <QString>

namespace modelrelay {

class LoginItem {
public:
    // The entry starts `executable` (by default the running one) without --show: in the tray.
    explicit LoginItem(QString executable = {});

    bool isEnabled() const;
    bool setEnabled(bool enabled, QString *error = nullptr);
    QString location() const; // the file or registry value that holds the entry, for messages

    // Entry contents, kept platform-independent so every format can be checked on any platform.
    static QString desktopEntry(const QString &executable);
    static QString launchAgentPlist(const QString &executable);
    static QString runKeyCommand(const QString &nativeExecutable);

    static constexpr auto kAppId = "io.github.modelrelay.ModelRelay";

private:
    QString m_executable;
};

} // namespace modelrelay
