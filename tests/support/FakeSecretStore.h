// An in-memory SecretStore for tests: entries shared by every FakeSecretStore made from the same
// FakeSecrets (like one keychain seen by two SettingsStore instances); writes and reads can be
// made to fail like a keychain without a Secret Service.
#pragma once

#include "config/SecretStore.h"

#include <QHash>
#include <memory>

namespace modelrelay::testing {

struct FakeSecrets {
    QHash<QString, QString> entries;
    QString writeError; // when set, every write fails with it
    QString readError;  // when set, every read fails with it
    int writes = 0;
};

class FakeSecretStore : public SecretStore {
public:
    explicit FakeSecretStore(std::shared_ptr<FakeSecrets> secrets)
        : m_secrets(std::move(secrets)) {}

    QString description() const override { return QStringLiteral("the fake keychain"); }
    SecretResult read(const QString &name) override {
        if (!m_secrets->readError.isEmpty())
            return {false, {}, m_secrets->readError};
        return {true, m_secrets->entries.value(name), {}};
    }
    SecretResult write(const QString &name, const QString &secret) override {
        ++m_secrets->writes;
        if (!m_secrets->writeError.isEmpty())
            return {false, {}, m_secrets->writeError};
        m_secrets->entries.insert(name, secret);
        return {true, {}, {}};
    }
    SecretResult remove(const QString &name) override {
        m_secrets->entries.remove(name);
        return {true, {}, {}};
    }

private:
    std::shared_ptr<FakeSecrets> m_secrets;
};

} // namespace modelrelay::testing
