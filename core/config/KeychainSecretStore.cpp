#include "KeychainSecretStore.h"

#ifdef MODELRELAY_HAVE_KEYCHAIN
#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>
#endif

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

KeychainSecretStore::KeychainSecretStore(const QString &service, std::chrono::milliseconds timeout)
    : m_service(service)
    , m_timeout(timeout) {}

QString KeychainSecretStore::description() const {
    // Named as users find it in their system's own tools.
#if defined(Q_OS_WIN)
    return u"the Windows Credential Manager"_s;
#elif defined(Q_OS_MACOS)
    return u"the macOS Keychain"_s;
#else
    return u"the Secret Service (GNOME Keyring or KWallet)"_s;
#endif
}

#ifdef MODELRELAY_HAVE_KEYCHAIN

namespace {
// Runs the job to its end (or the timeout) and reports its outcome; a job that timed out deletes
// itself once its backend answers, since deleting it earlier would leave that answer dangling.
SecretResult finish(QKeychain::Job *job, std::chrono::milliseconds timeout) {
    if (!QCoreApplication::instance()) {
        delete job;
        return {false, {}, u"the keychain needs a running application"_s};
    }
    job->setAutoDelete(false);
    bool finished = false;
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!finished) {
        QObject::disconnect(job, nullptr, &loop, nullptr);
        job->setAutoDelete(true);
        return {false, {}, u"the keychain did not answer within %1 s"_s.arg(timeout.count() / 1000)};
    }
    SecretResult result;
    const QKeychain::Error error = job->error();
    result.ok = error == QKeychain::NoError || error == QKeychain::EntryNotFound;
    if (!result.ok)
        result.error =
            job->errorString().isEmpty() ? u"keychain error %1"_s.arg(int(error)) : job->errorString();
    if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job); read && error == QKeychain::NoError)
        result.value = read->textData();
    job->deleteLater();
    return result;
}
} // namespace

bool KeychainSecretStore::isBuiltIn() {
    return true;
}

SecretResult KeychainSecretStore::read(const QString &name) {
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(name);
    return finish(job, m_timeout);
}

SecretResult KeychainSecretStore::write(const QString &name, const QString &secret) {
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(name);
    job->setTextData(secret);
    return finish(job, m_timeout);
}

SecretResult KeychainSecretStore::remove(const QString &name) {
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(name);
    return finish(job, m_timeout);
}

std::unique_ptr<SecretStore> systemSecretStore() {
    return std::make_unique<KeychainSecretStore>();
}

#else

namespace {
SecretResult notBuiltIn() {
    return {false, {}, u"this build of ModelRelay has no keychain support"_s};
}
} // namespace

bool KeychainSecretStore::isBuiltIn() {
    return false;
}

SecretResult KeychainSecretStore::read(const QString &) {
    return notBuiltIn();
}

SecretResult KeychainSecretStore::write(const QString &, const QString &) {
    return notBuiltIn();
}

SecretResult KeychainSecretStore::remove(const QString &) {
    return notBuiltIn();
}

std::unique_ptr<SecretStore> systemSecretStore() {
    return nullptr;
}

#endif

} // namespace modelrelay
