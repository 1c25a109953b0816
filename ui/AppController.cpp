#include "AppController.h"

#include "config/ClaudeCodeSetup.h"

namespace modelrelay {

AppController::AppController(std::unique_ptr<SettingsStore> settings, const ProxyConfig &effective,
                             QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_config(effective)
    , m_profiles(m_settings->profiles())
    , m_saved(m_settings->load())
    , m_savedProfiles(m_profiles)
    , m_active(qBound(0, m_settings->activeProfileIndex(), int(m_profiles.size()) - 1)) {
    // Flags and environment may have changed the backend for this run: show what runs.
    m_profiles[m_active] = m_config.backend;
    m_config.profiles = m_profiles;
    m_settings->takeWarnings(); // reading them again found what main() already reported
    connect(&m_service, &ProxyService::started, this, [this](const QString &address) {
        m_address = address;
        m_lastError.clear();
        setState(State::Running);
    });
    connect(&m_service, &ProxyService::stopped, this, [this] {
        m_address.clear();
        setState(State::Stopped);
    });
    connect(&m_service, &ProxyService::failed, this, [this](const QString &message) {
        m_address.clear();
        m_lastError = message;
        setState(State::Failed);
        emit errorOccurred(message);
    });
    connect(&m_service, &ProxyService::requestFinished, this, [this](const RequestRecord &record) {
        if (record.status >= 500 && !record.error.isEmpty()) {
            m_lastError = record.error;
            emit errorOccurred(record.error);
        } else if (!record.warning.isEmpty()) {
            emit errorOccurred(
                record.warning); // e.g. a prompt Ollama is about to cut: say so before it happens
        }
        emit requestFinished(record);
    });
    connect(&m_service, &ProxyService::learnedChanged, this,
            [this](const LearnedModels &models) { m_learned = models; });
}

AppController::~AppController() = default;

void AppController::setState(State state) {
    m_state = state;
    emit stateChanged(state);
}

void AppController::start() {
    setState(State::Starting);
    m_service.start(m_config);
}

void AppController::stop() {
    m_service.stop();
}

void AppController::toggle() {
    if (m_state == State::Running || m_state == State::Starting)
        stop();
    else
        start();
}

void AppController::apply() {
    m_config.profiles = m_profiles; // routes and fallbacks name profiles
    m_service.setConfig(m_config);
    save();
    emit configChanged();
}

void AppController::save() {
    m_saved.backend = m_savedProfiles.at(m_active);
    m_settings->saveProfiles(m_savedProfiles);
    m_settings->setActiveProfileIndex(m_active);
    m_settings->save(m_saved);
    reportSettingsWarnings();
}

void AppController::reportSettingsWarnings() {
    for (const QString &warning : m_settings->takeWarnings())
        emit warningOccurred(warning);
}

void AppController::setActiveProfile(int index) {
    if (index < 0 || index >= m_profiles.size() || index == m_active)
        return;
    m_active = index;
    m_config.backend = m_profiles.at(index);
    apply();
    emit profilesChanged();
}

void AppController::updateProfile(int index, const BackendProfile &profile) {
    if (index < 0 || index >= m_profiles.size() || m_profiles.at(index) == profile)
        return;
    // Only the fields the user changed are saved: the others may be this run's overrides.
    const BackendProfile &before = m_profiles.at(index);
    BackendProfile &saved = m_savedProfiles[index];
    auto keepEdit = [&](auto field) {
        if (profile.*field != before.*field)
            saved.*field = profile.*field;
    };
    keepEdit(&BackendProfile::name);
    keepEdit(&BackendProfile::kind);
    keepEdit(&BackendProfile::baseUrl);
    keepEdit(&BackendProfile::apiKey);
    keepEdit(&BackendProfile::ollamaContextSize);
    keepEdit(&BackendProfile::maxOutputTokens);
    keepEdit(&BackendProfile::toolSchemas);
    keepEdit(&BackendProfile::reasoningEffort);
    m_profiles[index] = profile;
    if (index == m_active)
        m_config.backend = profile;
    apply();
    emit profilesChanged();
}

int AppController::addProfile(const BackendProfile &profile) {
    m_profiles.append(profile);
    m_savedProfiles.append(profile);
    m_settings->saveProfiles(m_savedProfiles);
    reportSettingsWarnings();
    m_config.profiles = m_profiles;
    m_service.setConfig(m_config); // a route may already name it
    emit profilesChanged();
    return int(m_profiles.size()) - 1;
}

void AppController::removeProfile(int index) {
    if (m_profiles.size() <= 1 || index < 0 || index >= m_profiles.size())
        return;
    m_profiles.removeAt(index);
    m_savedProfiles.removeAt(index);
    if (m_active >= m_profiles.size() || index == m_active) {
        m_active = qMin(m_active, int(m_profiles.size()) - 1);
        m_config.backend = m_profiles.at(m_active);
    } else if (index < m_active) {
        --m_active;
    }
    apply();
    emit profilesChanged();
}

void AppController::setModelMap(const QList<ModelRule> &rules, const QString &defaultModel) {
    if (m_config.modelMap.rules == rules && m_config.modelMap.defaultModel == defaultModel)
        return;
    m_config.modelMap.rules = rules;
    m_config.modelMap.defaultModel = defaultModel;
    m_saved.modelMap.rules = rules;
    m_saved.modelMap.defaultModel = defaultModel;
    apply();
}

void AppController::setListenPort(quint16 port) {
    if (port == m_config.port)
        return;
    m_config.port = port;
    m_saved.port = port;
    if (m_state == State::Running)
        setState(State::Starting); // the service restarts its listener
    apply();
}

void AppController::setRouting(const Routing &routing) {
    if (m_config.routing == routing)
        return;
    m_config.routing = routing;
    m_saved.routing = routing;
    apply();
}

QString AppController::claudeCodeSetupLine() const {
    if (m_address.isEmpty())
        return {};
    return ClaudeCodeSetup::line(claudeCodeEnvironment());
}

ClaudeCodeSetup::Environment AppController::claudeCodeEnvironment() const {
    auto facts = [this](const QString &backendModel) {
        for (const LearnedModel &m : m_learned)
            if (m.model == backendModel)
                return ClaudeCodeSetup::ModelFacts{m.contextLength, m.maxOutputTokens};
        return ClaudeCodeSetup::ModelFacts{};
    };
    const QString address =
        m_address.isEmpty() ? ClaudeCodeSetup::proxyUrl(m_config.host, m_config.port) : m_address;
    return ClaudeCodeSetup::environmentFor(m_config, address, facts);
}

} // namespace modelrelay
