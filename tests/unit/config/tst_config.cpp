#include "config/ConfigLoader.h"
#include "config/ModelMap.h"
#include "config/SettingsStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;

class TestConfig : public QObject {
    Q_OBJECT
private slots:
    void resolve_data();
    void resolve();
    void rulesFromJson_data();
    void rulesFromJson();
    void rulesRoundTrip();
    void environmentAndFlags_data();
    void environmentAndFlags();
    void precedence();
    void providerSwitchPicksItsDefaultUrl();
    void configFileAndModelMapFile();
    void errorsNameTheSetting_data();
    void errorsNameTheSetting();
    void exposedHostWarns();
    void settingsRoundTrip();
    void settingsDefaults();
    void helpListsEnvironment();
};

namespace {
ModelMap sampleMap() {
    ModelMap map;
    map.rules = {ModelRule{"claude-*haiku*", "qwen2.5:7b", 0, 0},
                 ModelRule{"claude-sonnet-4-5", "exact-model", 8192, 65536},
                 ModelRule{"claude-?-opus", "single-char", 0, 0}, ModelRule{"claude-*", "catch-all", 0, 0}};
    map.defaultModel = "fallback";
    map.defaultContextSize = 32768;
    return map;
}

std::optional<LoadedConfig> load(const QStringList &args, const QHash<QString, QString> &env, QString *error,
                                 const ProxyConfig &base = ProxyConfig{}) {
    QProcessEnvironment environment(QProcessEnvironment::InheritFromParent);
    environment.clear();
    for (auto it = env.begin(); it != env.end(); ++it)
        environment.insert(it.key(), it.value());
    return ConfigLoader::load(QStringList{"modelrelay"} + args, environment, base, error);
}
} // namespace

void TestConfig::resolve_data() {
    QTest::addColumn<bool>("withDefault");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<int>("context");
    QTest::newRow("glob first") << true << "claude-haiku-4-5-20251001"
                                << "qwen2.5:7b"
                                << "claude-*haiku*" << 0 << 32768;
    QTest::newRow("exact with limits") << true << "claude-sonnet-4-5"
                                       << "exact-model"
                                       << "claude-sonnet-4-5" << 8192 << 65536;
    QTest::newRow("order wins over specificity") << true << "claude-3-haiku"
                                                 << "qwen2.5:7b"
                                                 << "claude-*haiku*" << 0 << 32768;
    QTest::newRow("question mark") << true << "claude-3-opus"
                                   << "single-char"
                                   << "claude-?-opus" << 0 << 32768;
    QTest::newRow("catch-all") << true << "claude-opus-5-5"
                               << "catch-all"
                               << "claude-*" << 0 << 32768;
    QTest::newRow("default") << true << "gpt-4o"
                             << "fallback"
                             << "default" << 0 << 32768;
    QTest::newRow("not found") << false << "gpt-4o"
                               << ""
                               << "" << 0 << 0;
    QTest::newRow("glob is anchored") << false << "my-claude-x"
                                      << ""
                                      << "" << 0 << 0;
    QTest::newRow("exact is case sensitive") << false << "CLAUDE-SONNET-4-5"
                                             << ""
                                             << "" << 0 << 0;
}

void TestConfig::resolve() {
    QFETCH(bool, withDefault);
    QFETCH(QString, client);
    QFETCH(QString, backend);
    QFETCH(QString, rule);
    QFETCH(int, maxTokens);
    QFETCH(int, context);
    ModelMap map = sampleMap();
    if (!withDefault)
        map.defaultModel.clear();
    const auto target = map.resolve(client);
    QCOMPARE(target.has_value(), !backend.isEmpty());
    if (!target)
        return;
    QCOMPARE(target->backendModel, backend);
    QCOMPARE(target->matchedRule, rule);
    QCOMPARE(target->maxOutputTokens, maxTokens);
    QCOMPARE(target->contextSize, context);
}

void TestConfig::rulesFromJson_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // pattern=model/max/ctx;... or "error:<fragment>"
    QTest::newRow("object keeps document order")
        << QByteArray(
               R"({"claude-z":"a","claude-*haiku*":"b","claude-a":{"model":"c","max_tokens":4096,"context":8192}})")
        << "claude-z=a/0/0;claude-*haiku*=b/0/0;claude-a=c/4096/8192";
    QTest::newRow("array") << QByteArray(R"([{"pattern":"claude-*","model":"m","max_tokens":100}])")
                           << "claude-*=m/100/0";
    QTest::newRow("escaped keys") << QByteArray(R"({"claude-\"q\"":"x","b,c":"y"})")
                                  << "claude-\"q\"=x/0/0;b,c=y/0/0";
    QTest::newRow("not json") << QByteArray("{claude") << "error:not valid JSON";
    QTest::newRow("number") << QByteArray(R"({"claude-*":5})")
                            << "error:rule \"claude-*\": expected a backend model name";
    QTest::newRow("empty model") << QByteArray(R"({"claude-*":""})") << "error:the backend model is empty";
    QTest::newRow("bad max") << QByteArray(R"({"claude-*":{"model":"m","max_tokens":"lots"}})")
                             << "error:\"max_tokens\" must be a positive integer";
    QTest::newRow("array without pattern") << QByteArray(R"([{"model":"m"}])") << "error:rule 1: expected";
    QTest::newRow("scalar") << QByteArray("3") << "error:not valid JSON";
}

void TestConfig::rulesFromJson() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    const auto rules = ModelMap::rulesFromJson(json, &error);
    if (expected.startsWith("error:")) {
        QVERIFY(!rules);
        QVERIFY2(error.contains(expected.mid(6)), qPrintable(error));
        return;
    }
    QVERIFY2(rules, qPrintable(error));
    QStringList parts;
    for (const ModelRule &r : *rules)
        parts << QString("%1=%2/%3/%4")
                     .arg(r.pattern, r.backendModel)
                     .arg(r.maxOutputTokens)
                     .arg(r.contextSize);
    QCOMPARE(parts.join(';'), expected);
}

void TestConfig::rulesRoundTrip() {
    const ModelMap map = sampleMap();
    QString error;
    const auto again = ModelMap::rulesFromJson(QJsonDocument(map.rulesToJson()).toJson(), &error);
    QVERIFY(again);
    QCOMPARE(*again, map.rules);
}

void TestConfig::environmentAndFlags_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env"); // NAME=value
    QTest::addColumn<QString>("check");   // field=value
    QTest::newRow("HOST") << QStringList{} << QStringList{"HOST=::1"} << "host=::1";
    QTest::newRow("--host") << QStringList{"--host", "localhost"} << QStringList{} << "host=localhost";
    QTest::newRow("PORT") << QStringList{} << QStringList{"PORT=9999"} << "port=9999";
    QTest::newRow("--port=") << QStringList{"--port=7000"} << QStringList{} << "port=7000";
    QTest::newRow("PROVIDER") << QStringList{} << QStringList{"PROVIDER=openai"} << "kind=openai";
    QTest::newRow("PROVIDER_BASE_URL")
        << QStringList{} << QStringList{"PROVIDER_BASE_URL=http://gpu:11434"} << "url=http://gpu:11434";
    QTest::newRow("PROVIDER_API_KEY") << QStringList{} << QStringList{"PROVIDER_API_KEY=sk-1"} << "key=sk-1";
    QTest::newRow("DEFAULT_MODEL") << QStringList{} << QStringList{"DEFAULT_MODEL=qwen3"} << "default=qwen3";
    QTest::newRow("--default-model") << QStringList{"--default-model", "llama"} << QStringList{}
                                     << "default=llama";
    QTest::newRow("MODEL_MAP_JSON") << QStringList{} << QStringList{R"(MODEL_MAP_JSON={"claude-*":"q"})"}
                                    << "rules=claude-*>q";
    QTest::newRow("--model-map") << QStringList{"--model-map", R"({"a":"b"})"} << QStringList{}
                                 << "rules=a>b";
    QTest::newRow("PROVIDER_TIMEOUT_MS")
        << QStringList{} << QStringList{"PROVIDER_TIMEOUT_MS=1500"} << "timeout=1500";
    QTest::newRow("LOG_LEVEL") << QStringList{} << QStringList{"LOG_LEVEL=debug"} << "log=debug";
    QTest::newRow("num ctx") << QStringList{} << QStringList{"MODELRELAY_OLLAMA_NUM_CTX=65536"}
                             << "numctx=65536";
    QTest::newRow("--max-output-tokens")
        << QStringList{"--max-output-tokens", "8192"} << QStringList{} << "maxout=8192";
    QTest::newRow("--keep-billing-header")
        << QStringList{"--keep-billing-header"} << QStringList{} << "billing=1";
    QTest::newRow("empty env ignored") << QStringList{} << QStringList{"PORT="} << "port=8787";
    QTest::newRow("--headless --show")
        << QStringList{"--headless", "--show"} << QStringList{} << "launch=headless,show";
}

void TestConfig::environmentAndFlags() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, check);
    QHash<QString, QString> environment;
    for (const QString &e : env)
        environment.insert(e.section('=', 0, 0), e.section('=', 1));
    QString error;
    const auto loaded = load(args, environment, &error);
    QVERIFY2(loaded, qPrintable(error));
    const ProxyConfig &c = loaded->config;
    const QString field = check.section('=', 0, 0);
    const QString value = check.section('=', 1);
    QString actual;
    if (field == "host")
        actual = c.host;
    else if (field == "port")
        actual = QString::number(c.port);
    else if (field == "kind")
        actual = backendKindName(c.backend.kind);
    else if (field == "url")
        actual = c.backend.baseUrl.toString();
    else if (field == "key")
        actual = c.backend.apiKey;
    else if (field == "default")
        actual = c.modelMap.defaultModel;
    else if (field == "rules")
        actual = c.modelMap.rules.value(0).pattern + ">" + c.modelMap.rules.value(0).backendModel;
    else if (field == "timeout")
        actual = QString::number(c.backendTimeoutMs);
    else if (field == "log")
        actual = logLevelName(c.logLevel);
    else if (field == "numctx")
        actual = QString::number(c.backend.ollamaContextSize);
    else if (field == "maxout")
        actual = QString::number(c.backend.maxOutputTokens);
    else if (field == "billing")
        actual = c.keepBillingHeader ? "1" : "0";
    else if (field == "launch")
        actual = QString("%1%2").arg(loaded->launch.headless ? "headless" : "",
                                     loaded->launch.showWindow ? ",show" : "");
    QCOMPARE(actual, value);
}

void TestConfig::precedence() {
    QTemporaryDir dir;
    const QString file = dir.filePath("config.json");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"port": 1111, "host": "127.0.0.2", "default_model": "from-file", "log_level": "warn"})");
    f.close();
    ProxyConfig saved;
    saved.port = 2222;
    saved.host = "127.0.0.3";
    saved.modelMap.defaultModel = "from-settings";
    saved.backendTimeoutMs = 4444;
    QString error;
    const auto loaded = load({"--config", file, "--port", "3333"},
                             {{"PORT", "5555"}, {"DEFAULT_MODEL", "from-env"}}, &error, saved);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->config.port, quint16(3333));                        // flag > env > file > settings
    QCOMPARE(loaded->config.modelMap.defaultModel, QString("from-env")); // env > file > settings
    QCOMPARE(loaded->config.host, QString("127.0.0.2"));                 // file > settings
    QCOMPARE(loaded->config.logLevel, LogLevel::Warn);
    QCOMPARE(loaded->config.backendTimeoutMs, 4444); // settings > defaults
}

void TestConfig::providerSwitchPicksItsDefaultUrl() {
    QString error;
    auto loaded = load({}, {{"PROVIDER", "openai"}}, &error);
    QCOMPARE(loaded->config.backend.baseUrl.toString(), QString("http://127.0.0.1:8080/v1"));
    loaded = load({"--provider", "openai"}, {{"PROVIDER_BASE_URL", "http://lmstudio:1234/v1"}}, &error);
    QCOMPARE(loaded->config.backend.baseUrl.toString(),
             QString("http://lmstudio:1234/v1")); // named in this run: kept
    ProxyConfig savedOllama;
    savedOllama.backend.baseUrl = QUrl("http://gpu-box:11434");
    loaded = load({}, {{"PROVIDER", "openai"}}, &error, savedOllama);
    QCOMPARE(loaded->config.backend.baseUrl.toString(),
             QString("http://127.0.0.1:8080/v1")); // the saved URL was Ollama's
    loaded = load({}, {{"DEFAULT_MODEL", "x"}}, &error, savedOllama);
    QCOMPARE(loaded->config.backend.baseUrl.toString(), QString("http://gpu-box:11434"));
    loaded = load({}, {{"PROVIDER", "ollama"}}, &error);
    QCOMPARE(loaded->config.backend.baseUrl.toString(), QString("http://127.0.0.1:11434"));
}

void TestConfig::configFileAndModelMapFile() {
    QTemporaryDir dir;
    QFile map(dir.filePath("map.json"));
    QVERIFY(map.open(QIODevice::WriteOnly));
    map.write(R"({"claude-*haiku*":"small","claude-*":{"model":"big","context":65536}})");
    map.close();
    QString error;
    const auto loaded = load({}, {{"MODEL_MAP_FILE", map.fileName()}}, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->config.modelMap.rules.size(), 2);
    QCOMPARE(loaded->config.modelMap.resolve("claude-opus-5")->contextSize, 65536);

    QFile config(dir.filePath("c.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(
        R"({"provider":"openai","base_url":"http://vllm:8000/v1","api_key":"k","model_map":{"claude-*":"m"},"keep_billing_header":true,"max_output_tokens":4096})");
    config.close();
    const auto fromFile = load({"--config", config.fileName()}, {}, &error);
    QVERIFY2(fromFile, qPrintable(error));
    QCOMPARE(fromFile->config.backend.kind, BackendKind::OpenAI);
    QCOMPARE(fromFile->config.backend.baseUrl.toString(), QString("http://vllm:8000/v1"));
    QCOMPARE(fromFile->config.backend.apiKey, QString("k"));
    QCOMPARE(fromFile->config.modelMap.rules.value(0).backendModel, QString("m"));
    QVERIFY(fromFile->config.keepBillingHeader);
    QCOMPARE(fromFile->config.backend.maxOutputTokens, 4096);
}

void TestConfig::errorsNameTheSetting_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("envName");
    QTest::addColumn<QString>("envValue");
    QTest::addColumn<QString>("message");
    QTest::newRow("PORT") << QStringList{} << "PORT"
                          << "abc"
                          << "PORT: 'abc' is not a port number (1-65535, or 0 for any free port)";
    QTest::newRow("PORT range") << QStringList{} << "PORT"
                                << "70000"
                                << "PORT: '70000' is not a port number";
    QTest::newRow("--port") << QStringList{"--port", "x"} << ""
                            << ""
                            << "--port: 'x' is not a port number";
    QTest::newRow("PROVIDER") << QStringList{} << "PROVIDER"
                              << "foo"
                              << "PROVIDER: 'foo' is not a backend kind (openai, ollama)";
    QTest::newRow("--provider") << QStringList{"--provider", "anthropic"} << ""
                                << ""
                                << "--provider: 'anthropic' is not a backend kind";
    QTest::newRow("URL") << QStringList{} << "PROVIDER_BASE_URL"
                         << "localhost:11434"
                         << "PROVIDER_BASE_URL: 'localhost:11434' is not an http(s) URL";
    QTest::newRow("MODEL_MAP_JSON") << QStringList{} << "MODEL_MAP_JSON"
                                    << "{bad"
                                    << "MODEL_MAP_JSON: not valid JSON";
    QTest::newRow("MODEL_MAP_FILE") << QStringList{} << "MODEL_MAP_FILE"
                                    << "/nonexistent/map.json"
                                    << "MODEL_MAP_FILE: cannot read '/nonexistent/map.json'";
    QTest::newRow("timeout") << QStringList{} << "PROVIDER_TIMEOUT_MS"
                             << "soon"
                             << "PROVIDER_TIMEOUT_MS: 'soon' is not a timeout";
    QTest::newRow("LOG_LEVEL") << QStringList{} << "LOG_LEVEL"
                               << "loud"
                               << "LOG_LEVEL: 'loud' is not a log level";
    QTest::newRow("unknown flag") << QStringList{"--frobnicate"} << ""
                                  << ""
                                  << "frobnicate";
    QTest::newRow("positional") << QStringList{"extra"} << ""
                                << ""
                                << "unexpected argument 'extra'";
    QTest::newRow("config missing") << QStringList{"--config", "/nonexistent.json"} << ""
                                    << ""
                                    << "--config: cannot read '/nonexistent.json'";
}

void TestConfig::errorsNameTheSetting() {
    QFETCH(QStringList, args);
    QFETCH(QString, envName);
    QFETCH(QString, envValue);
    QFETCH(QString, message);
    QHash<QString, QString> env;
    if (!envName.isEmpty())
        env.insert(envName, envValue);
    QString error;
    QVERIFY(!load(args, env, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!error.contains('\n'));
}

void TestConfig::exposedHostWarns() {
    QString error;
    QVERIFY(load({}, {}, &error)->warnings.isEmpty());
    const auto loaded = load({"--host", "0.0.0.0"}, {}, &error);
    QCOMPARE(loaded->warnings.size(), 1);
    QVERIFY(loaded->warnings.first().contains("exposes the proxy"));
}

void TestConfig::settingsRoundTrip() {
    QTemporaryDir dir;
    const QString ini = dir.filePath("settings.ini");
    ProxyConfig config;
    config.host = "::1";
    config.port = 9000;
    config.backendTimeoutMs = 1234;
    config.keepBillingHeader = true;
    config.logLevel = LogLevel::Debug;
    config.modelMap = sampleMap();
    config.modelMap.defaultContextSize = 0;
    {
        SettingsStore store(ini);
        QVERIFY(!store.hasSavedConfig());
        store.setActiveProfileIndex(1);
        config.backend = store.profiles().at(1);
        config.backend.apiKey = "sk-saved";
        config.backend.maxOutputTokens = 4096;
        store.save(config);
    }
    SettingsStore again(ini);
    QVERIFY(again.hasSavedConfig());
    const ProxyConfig loaded = again.load();
    QCOMPARE(loaded.host, config.host);
    QCOMPARE(loaded.port, config.port);
    QCOMPARE(loaded.backendTimeoutMs, 1234);
    QVERIFY(loaded.keepBillingHeader);
    QCOMPARE(loaded.logLevel, LogLevel::Debug);
    QCOMPARE(loaded.modelMap.rules, config.modelMap.rules);
    QCOMPARE(loaded.modelMap.defaultModel, QString("fallback"));
    QCOMPARE(loaded.backend, config.backend);
    QCOMPARE(again.profiles().size(), 2);
    QCOMPARE(again.profiles().at(0).kind, BackendKind::Ollama);
}

void TestConfig::settingsDefaults() {
    QTemporaryDir dir;
    SettingsStore store(dir.filePath("empty.ini"));
    const QList<BackendProfile> profiles = store.profiles();
    QCOMPARE(profiles.size(), 2);
    QCOMPARE(profiles.at(0).kind, BackendKind::Ollama);
    QCOMPARE(profiles.at(1).kind, BackendKind::OpenAI);
    const ProxyConfig config = store.load();
    QCOMPARE(config.port, quint16(8787));
    QCOMPARE(config.host, QString("127.0.0.1"));
    QCOMPARE(config.backend.kind, BackendKind::Ollama);
    QCOMPARE(config.backend.baseUrl.toString(), QString("http://127.0.0.1:11434"));
}

void TestConfig::helpListsEnvironment() {
    const QString help = ConfigLoader::helpText();
    for (const char *name :
         {"HOST", "PORT", "PROVIDER", "PROVIDER_BASE_URL", "PROVIDER_API_KEY", "DEFAULT_MODEL",
          "MODEL_MAP_JSON", "MODEL_MAP_FILE", "PROVIDER_TIMEOUT_MS", "LOG_LEVEL", "--headless", "--config"})
        QVERIFY2(help.contains(QLatin1String(name)), name);
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
