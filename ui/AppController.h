// The tray application's state in one place: the effective configuration, the backend profiles,
// the proxy service and the settings they are saved to. Widgets read it and ask it for changes;
// it applies each change to the running proxy at once and saves it. Flags and environment
// variables override the saved settings for this run only: only what the user edits is saved.
#pragma once

#include "config/ClaudeCodeSetup.h"
#include "config/ProxyConfig.h"
#include "config/SettingsStore.h"
#include "server/ProxyService.h"

#include <QObject>
#include <memory>

namespace modelrelay {

class AppController : public QObject {
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Failed };
    Q_ENUM(State)

    AppController(std::unique_ptr<SettingsStore> settings, const ProxyConfig &effective,
                  QObject *parent = nullptr);
    ~AppController() override;

    ProxyService &service() { return m_service; }
    const ProxyConfig &config() const { return m_config; }
    QList<BackendProfile> profiles() const { return m_profiles; }
    int activeProfile() const { return m_active; }
    State state() const { return m_state; }
    QString address() const { return m_address; }
    // The line that points Claude Code at the running proxy (empty while it is not running).
    QString claudeCodeSetupLine() const;
    // What points Claude Code at this proxy: where it listens (or will, while stopped), the key
    // and the limits of the mapped models as far as they are known.
    ClaudeCodeSetup::Environment claudeCodeEnvironment() const;
    QString lastError() const { return m_lastError; }
    QString settingsLocation() const { return m_settings->location(); }
    QString apiKeysLocation() const { return m_settings->secretsLocation(); } // "the system keychain"
    HistoryRetention historyRetention() const { return m_settings->historyRetention(); }

public slots:
    void start();
    void stop();
    void toggle();
    void setActiveProfile(int index);
    void updateProfile(int index, const modelrelay::BackendProfile &profile);
    int addProfile(const modelrelay::BackendProfile &profile);
    void removeProfile(int index);
    void setModelMap(const QList<modelrelay::ModelRule> &rules, const QString &defaultModel);
    void setListenPort(quint16 port);
    void setRouting(const modelrelay::Routing &routing);
    void setHistoryRetention(const modelrelay::HistoryRetention &retention) {
        m_settings->setHistoryRetention(retention);
    }

signals:
    void stateChanged(modelrelay::AppController::State state);
    void configChanged();
    void profilesChanged();
    void errorOccurred(const QString &message);
    void warningOccurred(const QString &message); // e.g. API keys fell back to the settings file
    void requestFinished(const modelrelay::RequestRecord &record);

private:
    void apply();
    void save();
    void reportSettingsWarnings();
    void setState(State state);

    std::unique_ptr<SettingsStore> m_settings;
    ProxyService m_service;
    ProxyConfig m_config;
    QList<BackendProfile> m_profiles; // as used in this run (the active one may carry overrides)
    ProxyConfig m_saved;              // as saved: the effective one without this run's overrides
    QList<BackendProfile> m_savedProfiles;
    int m_active = 0;
    State m_state = State::Stopped;
    QString m_address;
    QString m_lastError;
    LearnedModels m_learned; // the proxy's latest snapshot, for the setup line
};

} // namespace modelrelay
