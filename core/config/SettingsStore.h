// Typed access to saved settings (QSettings in the platform's usual place, or an INI file that
// tests and --config-dir choose). The only place that knows settings key names.
#pragma once

#include "ProxyConfig.h"
#include "SecretStore.h"
#include "history/HistoryRetention.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <memory>

class QSettings;

namespace modelrelay {

class ApiKeyStorage;

class SettingsStore {
public:
    // secrets: where backend API keys go instead of the file (see ApiKeyStorage); without one
    // they stay in the file, readable by its owner only.
    explicit SettingsStore(std::unique_ptr<SecretStore> secrets = nullptr); // the user's settings
    explicit SettingsStore(const QString &iniPath, std::unique_ptr<SecretStore> secrets = nullptr);
    // The user's settings, or iniPath when it is not empty.
    static std::unique_ptr<SettingsStore> open(const QString &iniPath, std::unique_ptr<SecretStore> secrets);
    ~SettingsStore();

    // The saved configuration, or defaults for what was never saved. The active profile's
    // API key is included.
    ProxyConfig load() const;
    void save(const ProxyConfig &config);

    // Backend profiles the user can switch between; the active one is also config.backend.
    QList<BackendProfile> profiles() const;
    void saveProfiles(const QList<BackendProfile> &profiles);
    int activeProfileIndex() const;
    void setActiveProfileIndex(int index);

    // How much request history the window keeps.
    HistoryRetention historyRetention() const;
    void setHistoryRetention(const HistoryRetention &retention);

    bool hasSavedConfig() const;
    QString location() const; // file path, for the UI and --help

    // Where API keys are kept, for the user: "the system keychain" or "the settings file (why)".
    QString secretsLocation() const;
    // Problems with keeping API keys not reported yet (each one once): that they fell back to
    // the settings file, or that one could not be read.
    QStringList takeWarnings();

private:
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ApiKeyStorage> m_apiKeys;
};

} // namespace modelrelay
