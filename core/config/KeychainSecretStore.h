// SecretStore on the operating system's keychain through QtKeychain: the Secret Service
// (GNOME Keyring, KWallet) on Linux, the Keychain on macOS, the Credential Manager on Windows.
// Its jobs are asynchronous and need a Q(Core)Application: each call waits for its job in a
// local event loop. Built without QtKeychain, every call fails and says why.
#pragma once

#include "SecretStore.h"

#include <chrono>
#include <memory>

namespace modelrelay {

class KeychainSecretStore : public SecretStore {
public:
    // A locked keychain may ask the user for its password: the timeout leaves time for that.
    explicit KeychainSecretStore(const QString &service = QStringLiteral("ModelRelay"),
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

    static bool isBuiltIn(); // false when this build has no QtKeychain

    QString description() const override;
    SecretResult read(const QString &name) override;
    SecretResult write(const QString &name, const QString &secret) override;
    SecretResult remove(const QString &name) override;

private:
    [[maybe_unused]] QString m_service; // unused in builds without QtKeychain
    [[maybe_unused]] std::chrono::milliseconds m_timeout;
};

// The store the application keeps API keys in: the system keychain, or none when this build
// has no keychain support (then keys stay in the settings file).
std::unique_ptr<SecretStore> systemSecretStore();

} // namespace modelrelay
