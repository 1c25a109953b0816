// SettingsStore: defaults when nothing was saved, a round trip through a temporary INI file, and
// API keys kept in a secret store (an in-memory fake here; tst_keychain uses the real one).
// Failure messages never print a key or the file that might hold one.
#include "FakeSecretStore.h"
#include "config/SettingsStore.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using modelrelay::testing::FakeSecrets;
using modelrelay::testing::FakeSecretStore;

class TestSettingsStore : public QObject {
    Q_OBJECT
private slots:
    void init();
    void defaults();
    void roundTrip();
    void profilesRoundTrip();
    void activeIndexOutOfRangeFallsBack_data();
    void activeIndexOutOfRangeFallsBack();
    void shorterProfileListLeavesNothingBehind();
    void saveUpdatesTheActiveProfile();
    void keysGoToTheSecretStoreNotTheFile();
    void keysFollowTheirProfilesWhenOneIsRemoved();
    void clearedKeyIsDeletedFromTheStore();
    void plaintextKeysMoveToTheStoreOnTheNextSave();
    void failingStoreFallsBackToAnOwnerOnlyFile();
    void unreadableKeyIsReported();
    void withoutAStoreTheFileIsOwnerOnly();

private:
    QString iniPath() const { return m_dir->filePath("settings.ini"); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {
bool fileContains(const QString &path, const QByteArray &text) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.readAll().contains(text);
}

bool onlyOwnerCanRead(const QString &path) {
    const QFile::Permissions others =
        QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
    return QFile::exists(path) && !(QFile::permissions(path) & others);
}

QList<QString> sortedValues(const QHash<QString, QString> &hash) {
    QList<QString> values = hash.values();
    std::sort(values.begin(), values.end());
    return values;
}

BackendProfile profile(const QString &name, BackendKind kind, const QString &url, const QString &key) {
    BackendProfile p;
    p.name = name;
    p.kind = kind;
    p.baseUrl = QUrl(url);
    p.apiKey = key;
    return p;
}
} // namespace

void TestSettingsStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSettingsStore::defaults() {
    SettingsStore store(iniPath());
    QVERIFY(!store.hasSavedConfig());
    QCOMPARE(store.location(), iniPath());
    const QList<BackendProfile> profiles = store.profiles();
    QCOMPARE(profiles.size(), 2);
    QCOMPARE(profiles.at(0).name, QString("Ollama (local)"));
    QCOMPARE(profiles.at(0).kind, BackendKind::Ollama);
    QCOMPARE(profiles.at(0).baseUrl.toString(), QString("http://127.0.0.1:11434"));
    QCOMPARE(profiles.at(1).name, QString("OpenAI-compatible (local)"));
    QCOMPARE(profiles.at(1).kind, BackendKind::OpenAI);
    QCOMPARE(profiles.at(1).baseUrl.toString(), QString("http://127.0.0.1:8080/v1"));
    QCOMPARE(store.activeProfileIndex(), 0);

    const ProxyConfig config = store.load();
    ProxyConfig expected; // the defaults, with the Ollama profile active
    expected.profiles = profiles;
    QCOMPARE(config, expected);
    QCOMPARE(config.backend, profiles.at(0));
    QVERIFY(!QFile::exists(iniPath())); // reading writes nothing
}

void TestSettingsStore::roundTrip() {
    ProxyConfig config;
    config.host = "::1";
    config.port = 9000;
    config.backendTimeoutMs = 1234;
    config.streamIdleTimeoutMs = 5678;
    config.maxRequestBytes = 1024 * 1024;
    config.keepBillingHeader = true;
    config.logLevel = LogLevel::Debug;
    config.modelMap.rules = {ModelRule{"claude-*haiku*", "qwen2.5:7b", 0, 0},
                             ModelRule{"claude-*", "qwen2.5-coder:32b", 8192, 65536}};
    config.modelMap.defaultModel = "fallback";
    {
        SettingsStore store(iniPath());
        store.setActiveProfileIndex(1);
        config.backend = store.profiles().at(1);
        config.backend.apiKey = "sk-saved";
        config.backend.maxOutputTokens = 4096;
        config.backend.ollamaContextSize = 16384;
        config.backend.toolSchemas = ToolSchemaPolicy::Strict;
        config.routing.longContextTokens = 30000;
        config.routing.rules = {RouteRule{RequestClass::Images, {RouteTarget{"Vision", "qwen2.5-vl"}}},
                                RouteRule{RequestClass::Background, {RouteTarget{"Ollama (local)", ""}}}};
        config.routing.fallbacks = {RouteTarget{"Cloud", "deepseek-chat"}};
        config.profiles = store.profiles();
        config.profiles[1] = config.backend;
        store.save(config);
    }
    SettingsStore again(iniPath());
    QVERIFY(again.hasSavedConfig());
    QCOMPARE(again.activeProfileIndex(), 1);
    QCOMPARE(again.load(), config);
    QCOMPARE(again.profiles().size(), 2);
    QCOMPARE(again.profiles().at(0).kind, BackendKind::Ollama);
    QCOMPARE(again.profiles().at(1), config.backend);
}

void TestSettingsStore::profilesRoundTrip() {
    const QList<BackendProfile> profiles = {
        profile("Box", BackendKind::Ollama, "http://gpu-box:11434", ""),
        profile("vLLM", BackendKind::OpenAI, "http://vllm:8000/v1", "k1"),
        profile("LM Studio", BackendKind::OpenAI, "http://127.0.0.1:1234/v1", ""),
    };
    {
        SettingsStore store(iniPath());
        store.saveProfiles(profiles);
        store.setActiveProfileIndex(2);
    }
    SettingsStore again(iniPath());
    QCOMPARE(again.profiles(), profiles);
    QCOMPARE(again.load().backend, profiles.at(2));
}

void TestSettingsStore::activeIndexOutOfRangeFallsBack_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("expectedName");
    QTest::newRow("past the end") << 7 << "OpenAI-compatible (local)";
    QTest::newRow("negative") << -1 << "Ollama (local)";
}

void TestSettingsStore::activeIndexOutOfRangeFallsBack() {
    QFETCH(int, index);
    QFETCH(QString, expectedName);
    SettingsStore store(iniPath());
    store.setActiveProfileIndex(index);
    QCOMPARE(store.load().backend.name, expectedName);
}

void TestSettingsStore::shorterProfileListLeavesNothingBehind() {
    SettingsStore store(iniPath());
    store.saveProfiles({profile("a", BackendKind::Ollama, "http://a:1", ""),
                        profile("b", BackendKind::OpenAI, "http://b:1/v1", "secret-b"),
                        profile("c", BackendKind::OpenAI, "http://c:1/v1", "secret-c")});
    store.saveProfiles({profile("a", BackendKind::Ollama, "http://a:1", "")});
    QCOMPARE(store.profiles().size(), 1);
    QVERIFY(QFile::exists(iniPath()));
    QVERIFY2(!fileContains(iniPath(), "secret"), "the settings file still holds a removed profile's key");
}

void TestSettingsStore::saveUpdatesTheActiveProfile() {
    SettingsStore store(iniPath());
    store.setActiveProfileIndex(1);
    ProxyConfig config = store.load();
    QCOMPARE(config.backend.kind, BackendKind::OpenAI);
    config.backend.baseUrl = QUrl("http://lmstudio:1234/v1");
    store.save(config);
    const QList<BackendProfile> profiles = store.profiles();
    QCOMPARE(profiles.at(0).baseUrl.toString(), QString("http://127.0.0.1:11434")); // untouched
    QCOMPARE(profiles.at(1).baseUrl.toString(), QString("http://lmstudio:1234/v1"));
}

void TestSettingsStore::keysGoToTheSecretStoreNotTheFile() {
    auto keychain = std::make_shared<FakeSecrets>();
    const QList<BackendProfile> profiles = {
        profile("box", BackendKind::Ollama, "http://box:11434", ""),
        profile("vLLM", BackendKind::OpenAI, "http://vllm/v1", "sk-first-key"),
        profile("router", BackendKind::OpenAI, "http://r/v1", "sk-second-key")};
    {
        SettingsStore store(iniPath(), std::make_unique<FakeSecretStore>(keychain));
        store.saveProfiles(profiles);
        store.setActiveProfileIndex(1);
        QCOMPARE(store.secretsLocation(), QString("the fake keychain"));
        QVERIFY(store.takeWarnings().isEmpty());
    }
    QVERIFY(QFile::exists(iniPath()));
    QVERIFY2(!fileContains(iniPath(), "sk-"), "the settings file holds an API key");
    QVERIFY(sortedValues(keychain->entries) == (QList<QString>{"sk-first-key", "sk-second-key"}));

    SettingsStore again(iniPath(), std::make_unique<FakeSecretStore>(keychain));
    QVERIFY(again.profiles() == profiles);
    QVERIFY(again.load().backend.apiKey == "sk-first-key");
    const int writes = keychain->writes;
    again.saveProfiles(profiles); // unchanged keys are not written again
    QCOMPARE(keychain->writes, writes);
}

void TestSettingsStore::keysFollowTheirProfilesWhenOneIsRemoved() {
    auto keychain = std::make_shared<FakeSecrets>();
    SettingsStore store(iniPath(), std::make_unique<FakeSecretStore>(keychain));
    store.saveProfiles({profile("a", BackendKind::OpenAI, "http://a/v1", "sk-a"),
                        profile("b", BackendKind::OpenAI, "http://b/v1", "sk-b"),
                        profile("c", BackendKind::OpenAI, "http://c/v1", "sk-c")});
    const QList<BackendProfile> withoutB = {profile("a", BackendKind::OpenAI, "http://a/v1", "sk-a"),
                                            profile("c", BackendKind::OpenAI, "http://c/v1", "sk-c")};
    store.saveProfiles(withoutB);
    QVERIFY(sortedValues(keychain->entries) == (QList<QString>{"sk-a", "sk-c"}));
    QVERIFY(SettingsStore(iniPath(), std::make_unique<FakeSecretStore>(keychain)).profiles() == withoutB);
    store.saveProfiles({profile("a", BackendKind::OpenAI, "http://a/v1", "")});
    QVERIFY(keychain->entries.isEmpty());
}

void TestSettingsStore::clearedKeyIsDeletedFromTheStore() {
    auto keychain = std::make_shared<FakeSecrets>();
    SettingsStore store(iniPath(), std::make_unique<FakeSecretStore>(keychain));
    store.saveProfiles({profile("a", BackendKind::OpenAI, "http://a/v1", "sk-a")});
    QCOMPARE(keychain->entries.size(), 1);
    store.saveProfiles({profile("a", BackendKind::OpenAI, "http://a/v1", "")});
    QVERIFY(keychain->entries.isEmpty());
    QVERIFY(SettingsStore(iniPath(), std::make_unique<FakeSecretStore>(keychain))
                .profiles()
                .at(0)
                .apiKey.isEmpty());
}

void TestSettingsStore::plaintextKeysMoveToTheStoreOnTheNextSave() {
    const QList<BackendProfile> profiles = {
        profile("vLLM", BackendKind::OpenAI, "http://vllm/v1", "sk-old-key")};
    SettingsStore(iniPath()).saveProfiles(profiles); // as every version before the keychain did
    QVERIFY(fileContains(iniPath(), "sk-old-key"));
    QVERIFY(QFile::setPermissions(iniPath(), QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));

    auto keychain = std::make_shared<FakeSecrets>();
    SettingsStore store(iniPath(), std::make_unique<FakeSecretStore>(keychain));
    QVERIFY(store.profiles() == profiles);
    QVERIFY(onlyOwnerCanRead(iniPath())); // already while reading: the key is still in the file
    ProxyConfig config = store.load();
    config.port = 9999;
    store.save(config);
    QVERIFY2(!fileContains(iniPath(), "sk-old-key"), "the key was not moved out of the settings file");
    QVERIFY(sortedValues(keychain->entries) == QList<QString>{"sk-old-key"});
    QVERIFY(SettingsStore(iniPath(), std::make_unique<FakeSecretStore>(keychain)).profiles() == profiles);
}

void TestSettingsStore::failingStoreFallsBackToAnOwnerOnlyFile() {
    auto keychain = std::make_shared<FakeSecrets>();
    keychain->writeError = "no Secret Service on this box";
    const QList<BackendProfile> profiles = {
        profile("a", BackendKind::OpenAI, "http://a/v1", "sk-fallback-a"),
        profile("b", BackendKind::OpenAI, "http://b/v1", "sk-fallback-b")};
    SettingsStore store(iniPath(), std::make_unique<FakeSecretStore>(keychain));
    store.saveProfiles(profiles);
    QVERIFY(fileContains(iniPath(), "sk-fallback-a"));
    QVERIFY(onlyOwnerCanRead(iniPath()));
    QCOMPARE(keychain->writes, 1); // the store is not asked again in this run
    QVERIFY(store.secretsLocation().contains("settings file"));
    QVERIFY(store.secretsLocation().contains("no Secret Service on this box"));

    const QStringList warnings = store.takeWarnings();
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.at(0).contains("no Secret Service on this box"));
    QVERIFY(warnings.at(0).contains(iniPath()));
    QVERIFY2(!warnings.at(0).contains("sk-fallback"), "the warning names the key");

    store.setActiveProfileIndex(1);
    store.save(store.load()); // later writes keep the file owner-only and say nothing new
    QVERIFY(onlyOwnerCanRead(iniPath()));
    QVERIFY(store.takeWarnings().isEmpty());
    QVERIFY(SettingsStore(iniPath()).profiles() == profiles);
}

void TestSettingsStore::unreadableKeyIsReported() {
    auto keychain = std::make_shared<FakeSecrets>();
    SettingsStore(iniPath(), std::make_unique<FakeSecretStore>(keychain))
        .saveProfiles({profile("vLLM", BackendKind::OpenAI, "http://vllm/v1", "sk-locked-away")});
    keychain->readError = "the keychain is locked";
    SettingsStore store(iniPath(), std::make_unique<FakeSecretStore>(keychain));
    QVERIFY(store.load().backend.apiKey.isEmpty());
    QVERIFY(store.profiles().at(0).apiKey.isEmpty());
    const QStringList warnings = store.takeWarnings();
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.at(0).contains("\"vLLM\""));
    QVERIFY(warnings.at(0).contains("the keychain is locked"));
}

void TestSettingsStore::withoutAStoreTheFileIsOwnerOnly() {
    SettingsStore store(iniPath());
    QVERIFY(store.secretsLocation().contains("settings file"));
    store.saveProfiles({profile("a", BackendKind::OpenAI, "http://a/v1", "sk-plain")});
    QVERIFY(onlyOwnerCanRead(iniPath()));
    QVERIFY(store.takeWarnings().isEmpty());
}

QTEST_GUILESS_MAIN(TestSettingsStore)
#include "tst_settingsstore.moc"
