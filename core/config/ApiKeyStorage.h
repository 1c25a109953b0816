// Where SettingsStore keeps backend API keys. With a SecretStore (the system keychain) the
// settings file holds only a marker, never the key; without one, or once the store has failed
// in this run, the key stays in the file, which is then made readable by its owner only.
// A key found in the file while the store works moves into the store on the next save.
#pragma once

#include "SecretStore.h"

#include <QHash>
#include <QSet>
#include <QStringList>
#include <memory>

class QSettings;

namespace modelrelay {

class ApiKeyStorage {
public:
    ApiKeyStorage(QSettings &settings, std::unique_ptr<SecretStore> secrets);

    // Each works on the profile whose settings group is current (inside beginReadArray /
    // beginWriteArray and setArrayIndex, or beginGroup); number is its array index + 1.
    QString read(int number, const QString &profileName) const;
    void write(int number, const QString &apiKey);
    void forget(int number); // the profile is being removed

    // After the file was written: a key in it makes it owner-only.
    void protectFile();

    // For the user: "the system keychain", or "the settings file (why)".
    QString location() const;
    // Problems not reported yet; each is reported once.
    QStringList takeWarnings();

private:
    bool storeUsable() const { return m_secrets && m_fallbackReason.isEmpty(); }
    QString entryName(int number) const;
    void warn(const QString &message) const;

    QSettings &m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    QString m_fallbackReason;                // why keys go to the file although there is a store
    mutable QHash<QString, QString> m_known; // entry name -> key, as last read or written
    mutable QStringList m_pendingWarnings;
    mutable QSet<QString> m_reportedWarnings;
    bool m_fileHoldsKeys = false;
};

} // namespace modelrelay
