// Typed access to saved settings (QSettings in the platform's usual place, or an INI file that
// tests and --config-dir choose). The only place that knows settings key names.
#pragma once

#include "ProxyConfig.h"

#include <QList>
#include <QString>
#include <memory>

class QSettings;

namespace modelrelay {

class SettingsStore {
public:
    SettingsStore();                                // the user's settings (organization "ModelRelay")
    explicit SettingsStore(const QString &iniPath); // a specific INI file
    ~SettingsStore();

    // The saved configuration, or defaults for what was never saved. The active profile's
    // API key is included (read from the settings for now; issue 5 moves keys to the keychain).
    ProxyConfig load() const;
    void save(const ProxyConfig &config);

    // Backend profiles the user can switch between; the active one is also config.backend.
    QList<BackendProfile> profiles() const;
    void saveProfiles(const QList<BackendProfile> &profiles);
    int activeProfileIndex() const;
    void setActiveProfileIndex(int index);

    bool hasSavedConfig() const;
    QString location() const; // file path, for the UI and --help

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace modelrelay
