// ConfigLoader: every environment variable and flag, their precedence, the provider switch, and
// the one-line error each bad value gives.
#include "config/ConfigLoader.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;

class TestConfigLoader : public QObject {
    Q_OBJECT
private slots:
    void init();
    void defaults();
    void eachSetting_data();
    void eachSetting();
    void launchOptions_data();
    void launchOptions();
    void precedence_data();
    void precedence();
    void providerSwitch_data();
    void providerSwitch();
    void configFile();
    void configFileModelMapKeepsItsOrder();
    void modelMapFile();
    void modelMapFileHasASizeCap();
    void configFileModelMapFileIsRelativeToIt();
    void errors_data();
    void errors();
    void helpAndVersionIgnoreBadSettings();
    void hostWarning_data();
    void hostWarning();
    void helpText();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {
QProcessEnvironment environment(const QStringList &assignments) {
    QProcessEnvironment env;
    for (const QString &a : assignments)
        env.insert(a.section('=', 0, 0), a.section('=', 1));
    return env;
}

std::optional<LoadedConfig> load(const QStringList &args, const QStringList &env, QString *error,
                                 const ProxyConfig &base = ProxyConfig{}) {
    return ConfigLoader::load(QStringList{"modelrelay"} + args, environment(env), base, error);
}

// One field of the configuration as text, so a table row can name what it checks.
QString field(const ProxyConfig &c, const QString &name) {
    if (name == "host")
        return c.host;
    if (name == "port")
        return QString::number(c.port);
    if (name == "kind")
        return backendKindName(c.backend.kind);
    if (name == "url")
        return c.backend.baseUrl.toString();
    if (name == "key")
        return c.backend.apiKey;
    if (name == "default")
        return c.modelMap.defaultModel;
    if (name == "rules") {
        QStringList rules;
        for (const ModelRule &r : c.modelMap.rules)
            rules << r.pattern + ">" + r.backendModel;
        return rules.join(',');
    }
    if (name == "timeout")
        return QString::number(c.backendTimeoutMs);
    if (name == "log")
        return logLevelName(c.logLevel);
    if (name == "numctx")
        return QString::number(c.backend.ollamaContextSize);
    if (name == "maxout")
        return QString::number(c.backend.maxOutputTokens);
    if (name == "billing")
        return c.keepBillingHeader ? "1" : "0";
    if (name == "routing")
        return QString::fromUtf8(c.routing.toJson());
    if (name == "toolschemas")
        return toolSchemaPolicyName(c.backend.toolSchemas);
    return "unknown field " + name;
}
} // namespace

void TestConfigLoader::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestConfigLoader::writeFile(const QString &name, const QByteArray &content) {
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

void TestConfigLoader::defaults() {
    QString error;
    const auto loaded = load({}, {}, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->config, ProxyConfig{});
    QVERIFY(loaded->warnings.isEmpty());
    QVERIFY(!loaded->launch.headless);
}

void TestConfigLoader::eachSetting_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    const QStringList none;
    QTest::newRow("HOST") << none << QStringList{"HOST=::1"} << "host"
                          << "::1";
    QTest::newRow("--host") << QStringList{"--host", "localhost"} << none << "host"
                            << "localhost";
    QTest::newRow("PORT") << none << QStringList{"PORT=9999"} << "port"
                          << "9999";
    QTest::newRow("--port") << QStringList{"--port", "7000"} << none << "port"
                            << "7000";
    QTest::newRow("--port=") << QStringList{"--port=7001"} << none << "port"
                             << "7001";
    QTest::newRow("PORT=0 picks a free port") << none << QStringList{"PORT=0"} << "port"
                                              << "0";
    QTest::newRow("PROVIDER") << none << QStringList{"PROVIDER=openai"} << "kind"
                              << "openai";
    QTest::newRow("PROVIDER any case") << none << QStringList{"PROVIDER=OpenAI"} << "kind"
                                       << "openai";
    QTest::newRow("--provider") << QStringList{"--provider", "openai"} << none << "kind"
                                << "openai";
    QTest::newRow("PROVIDER_BASE_URL") << none << QStringList{"PROVIDER_BASE_URL=http://gpu:11434"} << "url"
                                       << "http://gpu:11434";
    QTest::newRow("--base-url https")
        << QStringList{"--base-url", "https://api.example.com/v1"} << none << "url"
        << "https://api.example.com/v1";
    QTest::newRow("PROVIDER_API_KEY") << none << QStringList{"PROVIDER_API_KEY=sk-1"} << "key"
                                      << "sk-1";
    QTest::newRow("DEFAULT_MODEL") << none << QStringList{"DEFAULT_MODEL=qwen3"} << "default"
                                   << "qwen3";
    QTest::newRow("--default-model") << QStringList{"--default-model", "llama"} << none << "default"
                                     << "llama";
    QTest::newRow("MODEL_MAP_JSON") << none << QStringList{R"(MODEL_MAP_JSON={"claude-*":"q"})"} << "rules"
                                    << "claude-*>q";
    QTest::newRow("--model-map") << QStringList{"--model-map", R"({"b":"1","a":"2"})"} << none << "rules"
                                 << "b>1,a>2";
    QTest::newRow("PROVIDER_TIMEOUT_MS") << none << QStringList{"PROVIDER_TIMEOUT_MS=1500"} << "timeout"
                                         << "1500";
    QTest::newRow("--timeout-ms") << QStringList{"--timeout-ms", "2500"} << none << "timeout"
                                  << "2500";
    QTest::newRow("LOG_LEVEL") << none << QStringList{"LOG_LEVEL=debug"} << "log"
                               << "debug";
    QTest::newRow("--log-level") << QStringList{"--log-level", "error"} << none << "log"
                                 << "error";
    QTest::newRow("LOG_LEVEL warning") << none << QStringList{"LOG_LEVEL=WARNING"} << "log"
                                       << "warn";
    QTest::newRow("MODELRELAY_OLLAMA_NUM_CTX")
        << none << QStringList{"MODELRELAY_OLLAMA_NUM_CTX=65536"} << "numctx"
        << "65536";
    QTest::newRow("--ollama-num-ctx") << QStringList{"--ollama-num-ctx", "8192"} << none << "numctx"
                                      << "8192";
    QTest::newRow("MODELRELAY_MAX_OUTPUT_TOKENS")
        << none << QStringList{"MODELRELAY_MAX_OUTPUT_TOKENS=16000"} << "maxout"
        << "16000";
    QTest::newRow("--max-output-tokens") << QStringList{"--max-output-tokens", "8192"} << none << "maxout"
                                         << "8192";
    QTest::newRow("MODELRELAY_KEEP_BILLING_HEADER=1")
        << none << QStringList{"MODELRELAY_KEEP_BILLING_HEADER=1"} << "billing"
        << "1";
    QTest::newRow("MODELRELAY_KEEP_BILLING_HEADER=true")
        << none << QStringList{"MODELRELAY_KEEP_BILLING_HEADER=true"} << "billing"
        << "1";
    QTest::newRow("--keep-billing-header") << QStringList{"--keep-billing-header"} << none << "billing"
                                           << "1";
    QTest::newRow("ROUTES_JSON")
        << none
        << QStringList{R"(ROUTES_JSON={"rules":[{"when":"images","targets":["Vision box"]}],"fallbacks":[{"profile":"Cloud","model":"m"}]})"}
        << "routing"
        << R"({"fallbacks":[{"model":"m","profile":"Cloud"}],"long_context_tokens":60000,"rules":[{"targets":[{"profile":"Vision box"}],"when":"images"}]})";
    QTest::newRow("--routes long context")
        << QStringList{"--routes",
                       R"({"long_context_tokens":1000,"rules":[{"when":"long_context","targets":["Big"]}]})"}
        << none << "routing"
        << R"({"fallbacks":[],"long_context_tokens":1000,"rules":[{"targets":[{"profile":"Big"}],"when":"long_context"}]})";
    QTest::newRow("MODELRELAY_TOOL_SCHEMAS")
        << none << QStringList{"MODELRELAY_TOOL_SCHEMAS=Strict"} << "toolschemas"
        << "strict";
    QTest::newRow("--tool-schemas") << QStringList{"--tool-schemas", "keep"} << none << "toolschemas"
                                    << "keep";
    QTest::newRow("tool schemas default portable") << none << none << "toolschemas"
                                                   << "portable";
    QTest::newRow("an empty variable is unset") << none << QStringList{"PORT="} << "port"
                                                << "8787";
    QTest::newRow("unrelated variables ignored")
        << none << QStringList{"PATH=/bin", "ANTHROPIC_MODEL=x"} << "port"
        << "8787";
}

void TestConfigLoader::eachSetting() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    QString error;
    const auto loaded = load(args, env, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(::field(loaded->config, field), expected);
}

void TestConfigLoader::launchOptions_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected"); // headless,show,help,version,settings path
    QTest::newRow("none") << QStringList{} << "0,0,0,0,";
    QTest::newRow("--headless --show") << QStringList{"--headless", "--show"} << "1,1,0,0,";
    QTest::newRow("-h") << QStringList{"-h"} << "0,0,1,0,";
    QTest::newRow("--help") << QStringList{"--help"} << "0,0,1,0,";
    QTest::newRow("-v") << QStringList{"-v"} << "0,0,0,1,";
    QTest::newRow("--version") << QStringList{"--version"} << "0,0,0,1,";
    QTest::newRow("--settings") << QStringList{"--headless", "--settings", "/tmp/x.ini"}
                                << "1,0,0,0,/tmp/x.ini";
}

void TestConfigLoader::launchOptions() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QString error;
    const auto loaded = load(args, {}, &error);
    QVERIFY2(loaded, qPrintable(error));
    const LaunchOptions &l = loaded->launch;
    QCOMPARE(QString("%1,%2,%3,%4,%5")
                 .arg(int(l.headless))
                 .arg(int(l.showWindow))
                 .arg(int(l.showHelp))
                 .arg(int(l.showVersion))
                 .arg(l.settingsPath),
             expected);
}

void TestConfigLoader::precedence_data() {
    QTest::addColumn<bool>("inSettings");
    QTest::addColumn<bool>("inFile");
    QTest::addColumn<bool>("inEnv");
    QTest::addColumn<bool>("inFlags");
    QTest::addColumn<int>("expectedPort");
    // The port each level gives: settings 2222, file 3333, environment 4444, flag 5555; default 8787.
    QTest::newRow("defaults") << false << false << false << false << 8787;
    QTest::newRow("settings > defaults") << true << false << false << false << 2222;
    QTest::newRow("file > settings") << true << true << false << false << 3333;
    QTest::newRow("env > file") << true << true << true << false << 4444;
    QTest::newRow("flag > env") << true << true << true << true << 5555;
    QTest::newRow("flag > file") << true << true << false << true << 5555;
    QTest::newRow("env > settings") << true << false << true << false << 4444;
    QTest::newRow("flag alone") << false << false << false << true << 5555;
}

void TestConfigLoader::precedence() {
    QFETCH(bool, inSettings);
    QFETCH(bool, inFile);
    QFETCH(bool, inEnv);
    QFETCH(bool, inFlags);
    QFETCH(int, expectedPort);
    ProxyConfig saved;
    if (inSettings)
        saved.port = 2222;
    QStringList args;
    if (inFile)
        args << "--config" << writeFile("c.json", R"({"port": 3333})");
    if (inFlags)
        args << "--port"
             << "5555";
    QStringList env;
    if (inEnv)
        env << "PORT=4444";
    QString error;
    const auto loaded = load(args, env, &error, saved);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(int(loaded->config.port), expectedPort);
}

void TestConfigLoader::providerSwitch_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QByteArray>("file"); // --config content, empty for none
    QTest::addColumn<QString>("savedUrl");
    QTest::addColumn<QString>("expectedKind");
    QTest::addColumn<QString>("expectedUrl");
    QTest::addColumn<QString>("expectedKey");
    const QStringList none;
    const QString ollama = "http://127.0.0.1:11434";
    const QString openai = "http://127.0.0.1:8080/v1";
    QTest::newRow("PROVIDER=openai takes its default URL")
        << none << QStringList{"PROVIDER=openai"} << QByteArray() << ollama << "openai" << openai << "";
    QTest::newRow("--provider anthropic takes Ollama's native /v1/messages root")
        << QStringList{"--provider", "anthropic"} << none << QByteArray() << "http://gpu-box:11434"
        << "anthropic" << ollama << "";
    QTest::newRow("PROVIDER=anthropic with llama.cpp server's root")
        << none << QStringList{"PROVIDER=anthropic", "PROVIDER_BASE_URL=http://127.0.0.1:8080"}
        << QByteArray() << ollama << "anthropic"
        << "http://127.0.0.1:8080"
        << "";
    QTest::newRow("the saved URL and key belong to the saved kind")
        << none << QStringList{"PROVIDER=openai"} << QByteArray() << "http://gpu-box:11434"
        << "openai" << openai << "";
    QTest::newRow("same kind keeps the saved URL and key")
        << none << QStringList{"PROVIDER=ollama"} << QByteArray() << "http://gpu-box:11434"
        << "ollama"
        << "http://gpu-box:11434"
        << "saved-key";
    QTest::newRow("no provider keeps the saved URL")
        << none << QStringList{"DEFAULT_MODEL=x"} << QByteArray() << "http://gpu-box:11434"
        << "ollama"
        << "http://gpu-box:11434"
        << "saved-key";
    QTest::newRow("URL at the same level is kept")
        << none << QStringList{"PROVIDER=openai", "PROVIDER_BASE_URL=http://vllm:8000/v1"} << QByteArray()
        << ollama << "openai"
        << "http://vllm:8000/v1"
        << "";
    QTest::newRow("URL at a higher level is kept")
        << QStringList{"--base-url", "http://lmstudio:1234/v1"} << QStringList{"PROVIDER=openai"}
        << QByteArray() << ollama << "openai"
        << "http://lmstudio:1234/v1"
        << "";
    QTest::newRow("URL named without a kind fits the flag's kind")
        << QStringList{"--provider", "openai"} << QStringList{"PROVIDER_BASE_URL=http://lmstudio:1234/v1"}
        << QByteArray() << ollama << "openai"
        << "http://lmstudio:1234/v1"
        << "";
    QTest::newRow("URL named with another kind is dropped")
        << none << QStringList{"PROVIDER=ollama"}
        << QByteArray(R"({"provider":"openai","base_url":"http://vllm:8000/v1","api_key":"file-key"})")
        << ollama << "ollama" << ollama << "file-key";
    QTest::newRow("key given in this run is kept")
        << QStringList{"--provider", "openai"} << QStringList{"PROVIDER_API_KEY=env-key"} << QByteArray()
        << ollama << "openai" << openai << "env-key";
    QTest::newRow("another URL does not get the saved key")
        << none << QStringList{"PROVIDER_BASE_URL=http://other:11434"} << QByteArray()
        << "http://gpu-box:11434"
        << "ollama"
        << "http://other:11434"
        << "";
    QTest::newRow("the saved URL named again keeps the saved key")
        << QStringList{"--base-url", "http://gpu-box:11434"} << none << QByteArray() << "http://gpu-box:11434"
        << "ollama"
        << "http://gpu-box:11434"
        << "saved-key";
    QTest::newRow("switch and back keeps the saved URL")
        << QStringList{"--provider", "ollama"} << QStringList{"PROVIDER=openai"} << QByteArray()
        << "http://gpu-box:11434"
        << "ollama"
        << "http://gpu-box:11434"
        << "saved-key";
}

void TestConfigLoader::providerSwitch() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QByteArray, file);
    QFETCH(QString, savedUrl);
    QFETCH(QString, expectedKind);
    QFETCH(QString, expectedUrl);
    QFETCH(QString, expectedKey);
    ProxyConfig saved;
    saved.backend.baseUrl = QUrl(savedUrl);
    saved.backend.apiKey = "saved-key";
    if (!file.isEmpty())
        args << "--config" << writeFile("c.json", file);
    QString error;
    const auto loaded = load(args, env, &error, saved);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(backendKindName(loaded->config.backend.kind), expectedKind);
    QCOMPARE(loaded->config.backend.baseUrl.toString(), expectedUrl);
    QCOMPARE(loaded->config.backend.apiKey, expectedKey);
}

void TestConfigLoader::configFile() {
    const QString path = writeFile("c.json", R"({
        "host": "127.0.0.2", "port": 9100, "provider": "openai", "base_url": "http://vllm:8000/v1",
        "api_key": "k", "default_model": "m0", "model_map": [{"pattern": "claude-*", "model": "m"}],
        "timeout_ms": 1234, "log_level": "debug", "ollama_num_ctx": 4096, "max_output_tokens": 4096,
        "keep_billing_header": true})");
    QString error;
    const auto loaded = load({"--config", path}, {}, &error);
    QVERIFY2(loaded, qPrintable(error));
    const ProxyConfig &c = loaded->config;
    QCOMPARE(c.host, QString("127.0.0.2"));
    QCOMPARE(c.port, quint16(9100));
    QCOMPARE(c.backend.kind, BackendKind::OpenAI);
    QCOMPARE(c.backend.baseUrl.toString(), QString("http://vllm:8000/v1"));
    QCOMPARE(c.backend.apiKey, QString("k"));
    QCOMPARE(c.modelMap.defaultModel, QString("m0"));
    QCOMPARE(field(c, "rules"), QString("claude-*>m"));
    QCOMPARE(c.backendTimeoutMs, 1234);
    QCOMPARE(c.logLevel, LogLevel::Debug);
    QCOMPARE(c.backend.ollamaContextSize, 4096);
    QCOMPARE(c.backend.maxOutputTokens, 4096);
    QVERIFY(c.keepBillingHeader);
}

void TestConfigLoader::configFileModelMapKeepsItsOrder() {
    const QString path =
        writeFile("c.json", R"({"model_map": {"claude-z*": "first", "claude-a*": {"model": "second"}}})");
    QString error;
    const auto loaded = load({"--config", path}, {}, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(field(loaded->config, "rules"), QString("claude-z*>first,claude-a*>second"));
}

void TestConfigLoader::modelMapFile() {
    const QString path =
        writeFile("map.json", R"({"claude-*haiku*":"small","claude-*":{"model":"big","context":65536}})");
    for (const QStringList &args : {QStringList{"--model-map-file", path}, QStringList{}}) {
        QString error;
        const auto loaded =
            load(args, args.isEmpty() ? QStringList{"MODEL_MAP_FILE=" + path} : QStringList{}, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(field(loaded->config, "rules"), QString("claude-*haiku*>small,claude-*>big"));
        QCOMPARE(loaded->config.modelMap.rules.at(1).contextSize, 65536);
    }
}

void TestConfigLoader::modelMapFileHasASizeCap() {
    // Valid JSON, but no model map is a megabyte: the file is not read to its end.
    const QString path = writeFile("huge.json", "{\"claude-*\": \"m\"" + QByteArray(1024 * 1024, ' ') + "}");
    QString error;
    QVERIFY(!load({"--model-map-file", path}, {}, &error));
    QCOMPARE(error,
             QString("--model-map-file: '%1' is larger than 1024 KB; a model map is a few lines of JSON")
                 .arg(path));
}

void TestConfigLoader::configFileModelMapFileIsRelativeToIt() {
    writeFile("map.json", R"({"claude-*": "from-the-map-file"})");
    const QString path = writeFile("c.json", R"({"model_map_file": "map.json"})");
    QString error;
    const auto loaded = load({"--config", path}, {}, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(field(loaded->config, "rules"), QString("claude-*>from-the-map-file"));
}

void TestConfigLoader::errors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("message"); // the whole line; "<file>" stands for the temporary file
    const QStringList none;
    QTest::newRow("PORT") << none << QStringList{"PORT=abc"}
                          << "PORT: 'abc' is not a port number (1-65535, or 0 for any free port)";
    QTest::newRow("PORT range") << none << QStringList{"PORT=70000"}
                                << "PORT: '70000' is not a port number (1-65535, or 0 for any free port)";
    QTest::newRow("--port") << QStringList{"--port", "x"} << none
                            << "--port: 'x' is not a port number (1-65535, or 0 for any free port)";
    QTest::newRow("PROVIDER") << none << QStringList{"PROVIDER=foo"}
                              << "PROVIDER: 'foo' is not a backend kind (openai, ollama, anthropic)";
    QTest::newRow("--provider") << QStringList{"--provider", "claude"} << none
                                << "--provider: 'claude' is not a backend kind (openai, ollama, anthropic)";
    QTest::newRow("PROVIDER_BASE_URL without scheme")
        << none << QStringList{"PROVIDER_BASE_URL=localhost:11434"}
        << "PROVIDER_BASE_URL: 'localhost:11434' is not an http(s) URL (e.g. http://127.0.0.1:11434)";
    QTest::newRow("--base-url ftp")
        << QStringList{"--base-url", "ftp://host/v1"} << none
        << "--base-url: 'ftp://host/v1' is not an http(s) URL (e.g. http://127.0.0.1:11434)";
    QTest::newRow("HOST empty") << QStringList{"--host", " "} << none << "--host: empty address";
    QTest::newRow("MODEL_MAP_JSON") << none << QStringList{"MODEL_MAP_JSON={bad"}
                                    << "MODEL_MAP_JSON: not valid JSON: <parse error>";
    QTest::newRow("MODEL_MAP_JSON shape")
        << none << QStringList{R"(MODEL_MAP_JSON={"claude-*":7})"}
        << "MODEL_MAP_JSON: rule \"claude-*\": expected a backend model name or {\"model\": ...}";
    QTest::newRow("--model-map")
        << QStringList{"--model-map", "[1]"} << none
        << "--model-map: rule 1: expected {\"pattern\": \"claude-*\", \"model\": \"...\"}";
    QTest::newRow("MODEL_MAP_FILE")
        << none << QStringList{"MODEL_MAP_FILE=/nonexistent/map.json"}
        << "MODEL_MAP_FILE: cannot read '/nonexistent/map.json': No such file or directory";
    QTest::newRow("MODEL_MAP_FILE a device") << none << QStringList{"MODEL_MAP_FILE=/dev/zero"}
                                             << "MODEL_MAP_FILE: '/dev/zero' is not a regular file";
    QTest::newRow("--model-map-file a directory")
        << QStringList{"--model-map-file", "/"} << none << "--model-map-file: '/' is not a regular file";
    QTest::newRow("--model-map-file bad content")
        << QStringList{"--model-map-file", "<file>"} << none
        << "--model-map-file: '<file>': rule 1: expected {\"pattern\": \"claude-*\", \"model\": \"...\"}";
    QTest::newRow("PROVIDER_TIMEOUT_MS") << none << QStringList{"PROVIDER_TIMEOUT_MS=soon"}
                                         << "PROVIDER_TIMEOUT_MS: 'soon' is not a timeout in milliseconds";
    QTest::newRow("--timeout-ms zero")
        << QStringList{"--timeout-ms", "0"} << none << "--timeout-ms: '0' is not a timeout in milliseconds";
    QTest::newRow("LOG_LEVEL") << none << QStringList{"LOG_LEVEL=loud"}
                               << "LOG_LEVEL: 'loud' is not a log level (error, warn, info, debug)";
    QTest::newRow("MODELRELAY_OLLAMA_NUM_CTX")
        << none << QStringList{"MODELRELAY_OLLAMA_NUM_CTX=100"}
        << "MODELRELAY_OLLAMA_NUM_CTX: '100' is not a context size in tokens (256 or more)";
    QTest::newRow("MODELRELAY_MAX_OUTPUT_TOKENS")
        << none << QStringList{"MODELRELAY_MAX_OUTPUT_TOKENS=-5"}
        << "MODELRELAY_MAX_OUTPUT_TOKENS: '-5' is not a number of tokens";
    QTest::newRow("MODELRELAY_KEEP_BILLING_HEADER")
        << none << QStringList{"MODELRELAY_KEEP_BILLING_HEADER=maybe"}
        << "MODELRELAY_KEEP_BILLING_HEADER: 'maybe' is not a boolean (1 or 0)";
    QTest::newRow("ROUTES_JSON not JSON")
        << none << QStringList{"ROUTES_JSON={bad"} << "ROUTES_JSON: not valid JSON (<parse error>)";
    QTest::newRow("ROUTES_JSON unknown class")
        << none << QStringList{R"(ROUTES_JSON={"rules":[{"when":"sometimes","targets":["A"]}]})"}
        << "ROUTES_JSON: rules[0].when must be one of images, long_context, thinking, background";
    QTest::newRow("MODELRELAY_TOOL_SCHEMAS")
        << none << QStringList{"MODELRELAY_TOOL_SCHEMAS=loose"}
        << "MODELRELAY_TOOL_SCHEMAS: 'loose' is not a tool schema policy (keep, portable, strict)";
    QTest::newRow("unknown flag") << QStringList{"--frobnicate"} << none << "Unknown option 'frobnicate'.";
    QTest::newRow("--api-key is not a flag")
        << QStringList{"--api-key", "sk"} << none << "Unknown option 'api-key'.";
    QTest::newRow("flag without value") << QStringList{"--port"} << none << "Missing value after '--port'.";
    QTest::newRow("positional") << QStringList{"extra"} << none << "unexpected argument 'extra' (see --help)";
    QTest::newRow("--config missing")
        << QStringList{"--config", "/nonexistent.json"} << none
        << "--config: cannot read '/nonexistent.json': No such file or directory";
    QTest::newRow("--config not an object")
        << QStringList{"--config", "<file>"} << none
        << "--config: '<file>' must hold a JSON object {\"port\": 8787, ...}";
}

void TestConfigLoader::errors() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, message);
    const QString file = writeFile("bad.json", "[1, 2]");
    args.replaceInStrings("<file>", file);
    message.replace("<file>", file);
    QString error;
    QVERIFY(!load(args, env, &error));
    if (message.contains("<parse error>")) { // Qt's wording of JSON parse errors is its own
        const QStringList parts = message.split("<parse error>");
        QVERIFY2(error.startsWith(parts.at(0)) && error.endsWith(parts.at(1)), qPrintable(error));
    } else {
        QCOMPARE(error, message);
    }
}

void TestConfigLoader::helpAndVersionIgnoreBadSettings() {
    for (const char *flag : {"--help", "--version"}) {
        QString error;
        const auto loaded = load({flag}, {"PORT=abc"}, &error);
        QVERIFY2(loaded, qPrintable(error));
        QVERIFY(loaded->launch.showHelp || loaded->launch.showVersion);
    }
}

void TestConfigLoader::hostWarning_data() {
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("warning");
    QTest::addColumn<QString>("token");
    QTest::newRow("127.0.0.1") << "127.0.0.1"
                               << ""
                               << "";
    QTest::newRow("127.0.0.2") << "127.0.0.2"
                               << ""
                               << "";
    QTest::newRow("::1") << "::1"
                         << ""
                         << "";
    QTest::newRow("localhost") << "LocalHost"
                               << ""
                               << "";
    QTest::newRow("0.0.0.0") << "0.0.0.0"
                             << "HOST=0.0.0.0 exposes the proxy to your network: anyone who can reach this "
                                "machine can use your backend through it. Set MODELRELAY_ACCESS_TOKEN to "
                                "require a token."
                             << "";
    QTest::newRow("LAN address")
        << "192.168.1.5"
        << "HOST=192.168.1.5 exposes the proxy to your network: anyone who can reach "
           "this machine can use your backend through it. Set MODELRELAY_ACCESS_TOKEN to require a token."
        << "";
    QTest::newRow("LAN address with a token")
        << "192.168.1.5"
        << "HOST=192.168.1.5 exposes the proxy to your network (clients need the access token)"
        << "tok";
}

void TestConfigLoader::hostWarning() {
    QFETCH(QString, host);
    QFETCH(QString, warning);
    QFETCH(QString, token);
    QString error;
    QStringList environment{"HOST=" + host};
    if (!token.isEmpty())
        environment.append("MODELRELAY_ACCESS_TOKEN=" + token);
    const auto loaded = load({}, environment, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->warnings.join('\n'), warning);
}

void TestConfigLoader::helpText() {
    const QString help = ConfigLoader::helpText();
    for (const char *name : {"HOST",
                             "PORT",
                             "PROVIDER",
                             "PROVIDER_BASE_URL",
                             "PROVIDER_API_KEY",
                             "DEFAULT_MODEL",
                             "MODEL_MAP_JSON",
                             "MODEL_MAP_FILE",
                             "PROVIDER_TIMEOUT_MS",
                             "LOG_LEVEL",
                             "MODELRELAY_OLLAMA_NUM_CTX",
                             "MODELRELAY_MAX_OUTPUT_TOKENS",
                             "MODELRELAY_KEEP_BILLING_HEADER",
                             "--headless",
                             "--show",
                             "--host",
                             "--port",
                             "--provider",
                             "--base-url",
                             "--default-model",
                             "--model-map",
                             "--model-map-file",
                             "--timeout-ms",
                             "--log-level",
                             "--ollama-num-ctx",
                             "--max-output-tokens",
                             "--keep-billing-header",
                             "--config",
                             "--settings",
                             "--help",
                             "--version",
                             "default 8787",
                             "default 127.0.0.1",
                             "http://127.0.0.1:11434",
                             "http://127.0.0.1:8080/v1",
                             "default 600000"})
        QVERIFY2(help.contains(QLatin1String(name)), name);
    QVERIFY(!help.contains("  --api-key"));               // not offered as a flag
    QVERIFY(help.contains("There is no --api-key flag")); // and why
    for (const QString &line : help.split('\n'))
        QVERIFY2(line.size() <= 100, qPrintable(line));
}

QTEST_APPLESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
