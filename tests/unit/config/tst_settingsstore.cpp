// SettingsStore: defaults when nothing was saved, and a round trip through a temporary INI file.
#include "config/SettingsStore.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;

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

private:
    QString iniPath() const { return m_dir->filePath("settings.ini"); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {
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
    QCOMPARE(config, ProxyConfig{}); // the defaults, with the Ollama profile active
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
    QFile ini(iniPath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray text = ini.readAll();
    QVERIFY2(!text.contains("secret"), text.constData());
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

QTEST_GUILESS_MAIN(TestSettingsStore)
#include "tst_settingsstore.moc"
