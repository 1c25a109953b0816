#include "ApiKeyStorage.h"

#include <QFile>
#include <QSettings>
#include <utility>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
const QString plainKey = u"apiKey"_s;
const QString keyLocation = u"apiKeyIn"_s; // "keychain" when the key is in the secret store
const QString inStore = u"keychain"_s;

void restrictToOwner(const QString &path) {
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
}
} // namespace

ApiKeyStorage::ApiKeyStorage(QSettings &settings, std::unique_ptr<SecretStore> secrets)
    : m_settings(settings)
    , m_secrets(std::move(secrets)) {}

// One settings file, one set of entries: tests and --settings files never touch the user's keys.
QString ApiKeyStorage::entryName(int number) const {
    return u"%1: backend %2 API key"_s.arg(m_settings.fileName()).arg(number);
}

void ApiKeyStorage::warn(const QString &message) const {
    if (!m_reportedWarnings.contains(message)) {
        m_reportedWarnings.insert(message);
        m_pendingWarnings.append(message);
    }
}

QString ApiKeyStorage::read(int number, const QString &profileName) const {
    if (m_settings.value(keyLocation).toString() != inStore) {
        const QString key = m_settings.value(plainKey).toString();
        if (!key.isEmpty()) // e.g. saved by a version before the keychain: at least hide it from others
            restrictToOwner(m_settings.fileName());
        return key;
    }
    const QString entry = entryName(number);
    if (const auto known = m_known.constFind(entry); known != m_known.constEnd())
        return *known;
    if (!m_secrets) {
        warn(u"The API key of backend \"%1\" is in the system keychain, which this build cannot read"_s.arg(
            profileName));
        return {};
    }
    const SecretResult result = m_secrets->read(entry);
    if (!result.ok) {
        warn(u"The API key of backend \"%1\" could not be read from %2: %3"_s.arg(
            profileName, m_secrets->description(), result.error));
        return {};
    }
    if (result.value.isEmpty())
        warn(
            u"The API key of backend \"%1\" is missing from %2"_s.arg(profileName, m_secrets->description()));
    m_known.insert(entry, result.value);
    return result.value;
}

void ApiKeyStorage::write(int number, const QString &apiKey) {
    const QString entry = entryName(number);
    const bool wasInStore = m_settings.value(keyLocation).toString() == inStore;
    if (apiKey.isEmpty()) {
        forget(number);
        m_settings.remove(plainKey);
        m_settings.remove(keyLocation);
        return;
    }
    if (storeUsable()) {
        if (wasInStore && m_known.value(entry) == apiKey)
            return;
        const SecretResult result = m_secrets->write(entry, apiKey);
        if (result.ok) {
            m_known.insert(entry, apiKey);
            m_settings.remove(plainKey);
            m_settings.setValue(keyLocation, inStore);
            return;
        }
        m_fallbackReason = result.error;
        warn(u"API keys are kept in the settings file %1 (readable only by you): %2 is not available (%3)"_s
                 .arg(m_settings.fileName(), m_secrets->description(), result.error));
    }
    m_settings.remove(keyLocation);
    m_settings.setValue(plainKey, apiKey);
    m_fileHoldsKeys = true;
}

void ApiKeyStorage::forget(int number) {
    if (m_settings.value(keyLocation).toString() != inStore || !m_secrets)
        return;
    const QString entry = entryName(number);
    m_known.remove(entry);
    const SecretResult result = m_secrets->remove(entry);
    if (!result.ok)
        warn(u"An API key could not be removed from %1: %2"_s.arg(m_secrets->description(), result.error));
}

void ApiKeyStorage::protectFile() {
    if (m_fileHoldsKeys)
        restrictToOwner(m_settings.fileName());
}

QString ApiKeyStorage::location() const {
    if (!m_secrets)
        return u"the settings file (this build has no keychain support)"_s;
    if (!m_fallbackReason.isEmpty())
        return u"the settings file (%1 is not available: %2)"_s.arg(m_secrets->description(),
                                                                    m_fallbackReason);
    return m_secrets->description();
}

QStringList ApiKeyStorage::takeWarnings() {
    return std::exchange(m_pendingWarnings, {});
}

} // namespace modelrelay
