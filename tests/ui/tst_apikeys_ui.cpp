// API keys in the tray application: where they are kept is shown on the backend page, and a
// keychain that fails is reported once (AppController::warningOccurred, shown in the status bar)
// while the key still works from the owner-only settings file. Never prints a key.
#include "AppController.h"
#include "FakeSecretStore.h"
#include "pages/BackendsPage.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using modelrelay::testing::FakeSecrets;
using modelrelay::testing::FakeSecretStore;

class TestApiKeysUi : public QObject {
    Q_OBJECT
private slots:
    void keyEditGoesToTheKeychain();
    void failingKeychainIsReportedOnce();

private:
    std::unique_ptr<AppController> makeApp(const QString &iniPath, std::shared_ptr<FakeSecrets> keychain) {
        auto settings = std::make_unique<SettingsStore>(iniPath, std::make_unique<FakeSecretStore>(keychain));
        ProxyConfig config = settings->load();
        config.port = 0;
        return std::make_unique<AppController>(std::move(settings), config);
    }
};

namespace {
bool fileContains(const QString &path, const QByteArray &text) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.readAll().contains(text);
}
} // namespace

void TestApiKeysUi::keyEditGoesToTheKeychain() {
    QTemporaryDir dir;
    const QString ini = dir.filePath("settings.ini");
    auto keychain = std::make_shared<FakeSecrets>();
    auto app = makeApp(ini, keychain);
    QSignalSpy warnings(app.get(), &AppController::warningOccurred);
    BackendProfile profile = app->profiles().at(1);
    profile.apiKey = "sk-ui-keychain";
    app->updateProfile(1, profile);
    QVERIFY(warnings.isEmpty());
    QVERIFY2(!fileContains(ini, "sk-ui-keychain"), "the settings file holds the key");
    QVERIFY(keychain->entries.values().contains("sk-ui-keychain"));

    BackendsPage page(*app);
    QCOMPARE(page.apiKey()->toolTip(), QString("Saved in the fake keychain"));
}

void TestApiKeysUi::failingKeychainIsReportedOnce() {
    QTemporaryDir dir;
    const QString ini = dir.filePath("settings.ini");
    auto keychain = std::make_shared<FakeSecrets>();
    keychain->writeError = "no Secret Service";
    auto app = makeApp(ini, keychain);
    QSignalSpy warnings(app.get(), &AppController::warningOccurred);
    BackendProfile profile = app->profiles().at(1);
    profile.apiKey = "sk-ui-fallback";
    app->updateProfile(1, profile);
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.at(0).at(0).toString().contains("no Secret Service"));
    QVERIFY(!warnings.at(0).at(0).toString().contains("sk-ui-fallback"));
    QVERIFY(app->apiKeysLocation().contains("settings file"));

    profile.name = "renamed";
    app->updateProfile(1, profile);
    app->addProfile(profile);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(fileContains(ini, "sk-ui-fallback"), "the key was lost");
    QVERIFY(!(QFile::permissions(ini) & (QFile::ReadGroup | QFile::ReadOther)));
}

QTEST_MAIN(TestApiKeysUi)
#include "tst_apikeys_ui.moc"
