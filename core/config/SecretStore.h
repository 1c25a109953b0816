// A place for secrets (backend API keys) outside the settings file. An interface so that
// SettingsStore works with the system keychain in the application and with a fake in tests.
#pragma once

#include <QString>

namespace modelrelay {

struct SecretResult {
    bool ok = false;
    QString value; // read: the secret (empty when there is none)
    QString error; // for the user, e.g. "The name org.freedesktop.secrets was not provided…"
};

class SecretStore {
public:
    virtual ~SecretStore() = default;

    // For the user, e.g. "the system keychain".
    virtual QString description() const = 0;
    // Synchronous: each call returns when the store has answered. Reading a name that was never
    // written is ok with an empty value; removing it is ok too.
    virtual SecretResult read(const QString &name) = 0;
    virtual SecretResult write(const QString &name, const QString &secret) = 0;
    virtual SecretResult remove(const QString &name) = 0;
};

} // namespace modelrelay
