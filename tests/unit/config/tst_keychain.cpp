// KeychainSecretStore against a real Secret Service (GNOME Keyring in a D-Bus session of its own,
// see run-with-keyring.sh): keys saved through SettingsStore are in the keychain, where
// secret-tool finds them, and not in the settings file; removed profiles take their keys along.
// Failure messages never print a key.
#include "config/KeychainSecretStore.h"
#include "config/SettingsStore.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using namespace modelrelay;

class TestKeychain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void writeReadRemove();
    void settingsKeepKeysInTheKeychain();

private:
    QString iniPath() const { return m_dir->filePath("settings.ini"); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {
// What the Secret Service holds for ModelRelay, secrets included (never printed).
QByteArray secretServiceItems() {
    QProcess tool;
    tool.start("secret-tool", {"search", "--all", "server", "ModelRelay"});
    if (!tool.waitForFinished(10000))
        tool.kill();
    return tool.readAllStandardOutput();
}

bool fileContains(const QString &path, const QByteArray &text) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.readAll().contains(text);
}

QString uniqueKey() {
    return "sk-keychain-test-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

BackendProfile profileWithKey(const QString &name, const QString &key) {
    BackendProfile p;
    p.name = name;
    p.kind = BackendKind::OpenAI;
    p.baseUrl = QUrl("http://" + name + "/v1");
    p.apiKey = key;
    return p;
}
} // namespace

void TestKeychain::initTestCase() {
    if (!KeychainSecretStore::isBuiltIn())
        QSKIP("this build has no QtKeychain");
    if (const QString missing = qEnvironmentVariable("MODELRELAY_KEYRING_MISSING"); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    if (qEnvironmentVariable("MODELRELAY_KEYRING_SESSION") != "1")
        QSKIP("needs a keyring of its own: run through run-with-keyring.sh (ctest does)");
}

void TestKeychain::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestKeychain::writeReadRemove() {
    KeychainSecretStore store;
    const QString name = "tst_keychain entry";
    const QString key = uniqueKey();
    QCOMPARE(store.description(), QString("the Secret Service (GNOME Keyring or KWallet)"));

    const SecretResult written = store.write(name, key);
    QVERIFY2(written.ok, qPrintable(written.error));
    const SecretResult read = store.read(name);
    QVERIFY2(read.ok, qPrintable(read.error));
    QVERIFY2(read.value == key, "the keychain returned another key");
    QVERIFY2(secretServiceItems().contains(key.toUtf8()), "secret-tool does not find the key");

    const SecretResult removed = store.remove(name);
    QVERIFY2(removed.ok, qPrintable(removed.error));
    const SecretResult gone = store.read(name);
    QVERIFY2(gone.ok, qPrintable(gone.error));
    QVERIFY(gone.value.isEmpty());
    QVERIFY2(!secretServiceItems().contains(key.toUtf8()), "the key is still in the keychain");
}

void TestKeychain::settingsKeepKeysInTheKeychain() {
    const QString first = uniqueKey();
    const QString second = uniqueKey();
    const QList<BackendProfile> profiles = {profileWithKey("first", first), profileWithKey("second", second)};
    {
        SettingsStore store(iniPath(), std::make_unique<KeychainSecretStore>());
        store.saveProfiles(profiles);
        QCOMPARE(store.secretsLocation(), QString("the Secret Service (GNOME Keyring or KWallet)"));
        const QStringList warnings = store.takeWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }
    QVERIFY(QFile::exists(iniPath()));
    QVERIFY2(!fileContains(iniPath(), "sk-keychain-test"), "the settings file holds an API key");
    const QByteArray items = secretServiceItems();
    QVERIFY2(items.contains(first.toUtf8()) && items.contains(second.toUtf8()),
             "secret-tool does not find the saved keys");

    SettingsStore again(iniPath(), std::make_unique<KeychainSecretStore>());
    QVERIFY2(again.profiles() == profiles, "the keys did not come back from the keychain");

    again.saveProfiles({profileWithKey("first", first)});
    QVERIFY2(!secretServiceItems().contains(second.toUtf8()),
             "a removed profile's key stayed in the keychain");
    again.saveProfiles({profileWithKey("first", "")});
    QVERIFY2(!secretServiceItems().contains(first.toUtf8()), "a cleared key stayed in the keychain");
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
