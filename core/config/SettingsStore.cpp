#include "SettingsStore.h"

#include "ApiKeyStorage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
namespace Key {
const QString host = u"proxy/host"_s;
const QString port = u"proxy/port"_s;
const QString backendTimeoutMs = u"proxy/backendTimeoutMs"_s;
const QString streamIdleTimeoutMs = u"proxy/streamIdleTimeoutMs"_s;
const QString maxRequestBytes = u"proxy/maxRequestBytes"_s;
const QString keepBillingHeader = u"proxy/keepBillingHeader"_s;
const QString logLevel = u"proxy/logLevel"_s;
const QString modelRules = u"models/rules"_s;
const QString defaultModel = u"models/default"_s;
const QString routing = u"routing/json"_s;
const QString profiles = u"backends"_s;
const QString activeProfile = u"backends/active"_s;
const QString name = u"name"_s;
const QString kind = u"kind"_s;
const QString baseUrl = u"baseUrl"_s;
const QString ollamaContextSize = u"ollamaContextSize"_s;
const QString maxOutputTokens = u"maxOutputTokens"_s;
const QString toolSchemas = u"toolSchemas"_s;
const QString reasoningEffort = u"reasoningEffort"_s;
const QString historyDays = u"history/days"_s;
const QString historyMegabytes = u"history/maxMegabytes"_s;
} // namespace Key

QList<BackendProfile> defaultProfiles() {
    BackendProfile ollama;
    BackendProfile openai;
    openai.name = u"OpenAI-compatible (local)"_s;
    openai.kind = BackendKind::OpenAI;
    openai.baseUrl = BackendProfile::defaultBaseUrl(BackendKind::OpenAI);
    return {ollama, openai};
}
} // namespace

SettingsStore::SettingsStore(std::unique_ptr<SecretStore> secrets)
    : m_settings(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, u"ModelRelay"_s,
                                             u"ModelRelay"_s))
    , m_apiKeys(std::make_unique<ApiKeyStorage>(*m_settings, std::move(secrets))) {}

SettingsStore::SettingsStore(const QString &iniPath, std::unique_ptr<SecretStore> secrets)
    : m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
    , m_apiKeys(std::make_unique<ApiKeyStorage>(*m_settings, std::move(secrets))) {}

std::unique_ptr<SettingsStore> SettingsStore::open(const QString &iniPath,
                                                   std::unique_ptr<SecretStore> secrets) {
    return iniPath.isEmpty() ? std::make_unique<SettingsStore>(std::move(secrets))
                             : std::make_unique<SettingsStore>(iniPath, std::move(secrets));
}

SettingsStore::~SettingsStore() = default;

bool SettingsStore::hasSavedConfig() const {
    return m_settings->contains(Key::port) || m_settings->contains(Key::activeProfile) ||
           m_settings->contains(Key::profiles + u"/size"_s);
}

HistoryRetention SettingsStore::historyRetention() const {
    const HistoryRetention defaults;
    return {m_settings->value(Key::historyDays, defaults.days).toInt(),
            m_settings->value(Key::historyMegabytes, defaults.maxMegabytes).toInt()};
}

void SettingsStore::setHistoryRetention(const HistoryRetention &retention) {
    m_settings->setValue(Key::historyDays, retention.days);
    m_settings->setValue(Key::historyMegabytes, retention.maxMegabytes);
}

QString SettingsStore::location() const {
    return m_settings->fileName();
}

QString SettingsStore::secretsLocation() const {
    return m_apiKeys->location();
}

QStringList SettingsStore::takeWarnings() {
    return m_apiKeys->takeWarnings();
}

ProxyConfig SettingsStore::load() const {
    ProxyConfig config;
    const QSettings &s = *m_settings;
    config.host = s.value(Key::host, config.host).toString();
    config.port = quint16(s.value(Key::port, config.port).toUInt());
    config.backendTimeoutMs = s.value(Key::backendTimeoutMs, config.backendTimeoutMs).toInt();
    config.streamIdleTimeoutMs = s.value(Key::streamIdleTimeoutMs, config.streamIdleTimeoutMs).toInt();
    config.maxRequestBytes = s.value(Key::maxRequestBytes, config.maxRequestBytes).toLongLong();
    config.keepBillingHeader = s.value(Key::keepBillingHeader, false).toBool();
    logLevelFromName(s.value(Key::logLevel).toString(), &config.logLevel);
    QString ignored;
    if (const auto rules = ModelMap::rulesFromJson(s.value(Key::modelRules).toByteArray(), &ignored))
        config.modelMap.rules = *rules;
    config.modelMap.defaultModel = s.value(Key::defaultModel).toString();
    if (const auto routing = Routing::fromJson(s.value(Key::routing).toByteArray(), &ignored))
        config.routing = *routing;
    config.profiles = profiles();
    config.backend = config.profiles.value(qBound(0, activeProfileIndex(), int(config.profiles.size()) - 1));
    return config;
}

void SettingsStore::save(const ProxyConfig &config) {
    QSettings &s = *m_settings;
    s.setValue(Key::host, config.host);
    s.setValue(Key::port, config.port);
    s.setValue(Key::backendTimeoutMs, config.backendTimeoutMs);
    s.setValue(Key::streamIdleTimeoutMs, config.streamIdleTimeoutMs);
    s.setValue(Key::maxRequestBytes, config.maxRequestBytes);
    s.setValue(Key::keepBillingHeader, config.keepBillingHeader);
    s.setValue(Key::logLevel, logLevelName(config.logLevel));
    s.setValue(Key::modelRules, QJsonDocument(config.modelMap.rulesToJson()).toJson(QJsonDocument::Compact));
    s.setValue(Key::defaultModel, config.modelMap.defaultModel);
    if (config.routing.isEmpty() && config.routing.longContextTokens == Routing{}.longContextTokens)
        s.remove(Key::routing);
    else
        s.setValue(Key::routing, config.routing.toJson());

    // The active profile is the one the configuration runs on: keep the saved list in step.
    QList<BackendProfile> all = profiles();
    const int active = qBound(0, activeProfileIndex(), int(all.size()) - 1);
    all[active] = config.backend;
    saveProfiles(all);
    s.sync();
}

QList<BackendProfile> SettingsStore::profiles() const {
    QSettings &s = *m_settings;
    const int count = s.beginReadArray(Key::profiles);
    QList<BackendProfile> result;
    for (int i = 0; i < count; ++i) {
        s.setArrayIndex(i);
        BackendProfile p;
        p.name = s.value(Key::name, p.name).toString();
        backendKindFromName(s.value(Key::kind).toString(), &p.kind);
        p.baseUrl = QUrl(s.value(Key::baseUrl, BackendProfile::defaultBaseUrl(p.kind).toString()).toString());
        p.apiKey = m_apiKeys->read(i + 1, p.name);
        p.ollamaContextSize = s.value(Key::ollamaContextSize, p.ollamaContextSize).toInt();
        p.maxOutputTokens = s.value(Key::maxOutputTokens, 0).toInt();
        toolSchemaPolicyFromName(s.value(Key::toolSchemas).toString(), &p.toolSchemas);
        p.reasoningEffort = s.value(Key::reasoningEffort, true).toBool();
        result.append(p);
    }
    s.endArray();
    return result.isEmpty() ? defaultProfiles() : result;
}

void SettingsStore::saveProfiles(const QList<BackendProfile> &profiles) {
    QSettings &s = *m_settings;
    // A shorter list must not leave the old tail behind (with its API keys).
    const int oldCount = s.beginReadArray(Key::profiles);
    s.endArray();
    for (int i = int(profiles.size()); i < oldCount; ++i) {
        const QString group = Key::profiles + u'/' + QString::number(i + 1);
        s.beginGroup(group);
        m_apiKeys->forget(i + 1);
        s.endGroup();
        s.remove(group);
    }
    s.beginWriteArray(Key::profiles, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        s.setArrayIndex(i);
        const BackendProfile &p = profiles.at(i);
        s.setValue(Key::name, p.name);
        s.setValue(Key::kind, backendKindName(p.kind));
        s.setValue(Key::baseUrl, p.baseUrl.toString());
        m_apiKeys->write(i + 1, p.apiKey);
        s.setValue(Key::ollamaContextSize, p.ollamaContextSize);
        s.setValue(Key::maxOutputTokens, p.maxOutputTokens);
        s.setValue(Key::toolSchemas, toolSchemaPolicyName(p.toolSchemas));
        s.setValue(Key::reasoningEffort, p.reasoningEffort);
    }
    s.endArray();
    s.sync();
    m_apiKeys->protectFile();
}

int SettingsStore::activeProfileIndex() const {
    return m_settings->value(Key::activeProfile, 0).toInt();
}

void SettingsStore::setActiveProfileIndex(int index) {
    m_settings->setValue(Key::activeProfile, index);
    m_settings->sync();
}

} // namespace modelrelay
