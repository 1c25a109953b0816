// The line users paste to point Claude Code at the proxy, for each shell, with and without an
// access token and the mapped model's limits.
#include "config/ClaudeCodeSetup.h"
#include "config/ProxyConfig.h"

#include <QtTest>

using namespace modelrelay;
using Shell = ClaudeCodeSetup::Shell;
using Environment = ClaudeCodeSetup::Environment;

Q_DECLARE_METATYPE(modelrelay::ClaudeCodeSetup::Shell)
Q_DECLARE_METATYPE(modelrelay::ClaudeCodeSetup::Environment)

class TestClaudeCodeSetup : public QObject {
    Q_OBJECT
private slots:
    void line_data();
    void line();
    void accessTokenIsTheKey();
    void limitsComeFromTheMainModels();
    void whatTheBackendReportedNarrowsTheLimits();
};

void TestClaudeCodeSetup::line_data() {
    QTest::addColumn<Environment>("environment");
    QTest::addColumn<Shell>("shell");
    QTest::addColumn<QString>("expected");
    QTest::newRow("posix") << Environment{"http://127.0.0.1:8787", {}, 0, 0} << Shell::Posix
                           << "export ANTHROPIC_BASE_URL=http://127.0.0.1:8787 ANTHROPIC_API_KEY=modelrelay";
    QTest::newRow("posix, IPv6 host")
        << Environment{"http://[::1]:8787", {}, 0, 0} << Shell::Posix
        << "export ANTHROPIC_BASE_URL=http://[::1]:8787 ANTHROPIC_API_KEY=modelrelay";
    QTest::newRow("powershell")
        << Environment{"http://127.0.0.1:8787", {}, 0, 0} << Shell::PowerShell
        << "$env:ANTHROPIC_BASE_URL=\"http://127.0.0.1:8787\"; $env:ANTHROPIC_API_KEY=\"modelrelay\"";
    QTest::newRow("token")
        << Environment{"http://127.0.0.1:8787", "s3cret-token", 0, 0} << Shell::Posix
        << "export ANTHROPIC_BASE_URL=http://127.0.0.1:8787 ANTHROPIC_API_KEY=s3cret-token";
    QTest::newRow("limits, posix")
        << Environment{"http://127.0.0.1:8787", {}, 8192, 60000} << Shell::Posix
        << "export ANTHROPIC_BASE_URL=http://127.0.0.1:8787 ANTHROPIC_API_KEY=modelrelay "
           "CLAUDE_CODE_MAX_OUTPUT_TOKENS=8192 CLAUDE_CODE_AUTO_COMPACT_WINDOW=60000";
    QTest::newRow("limits, powershell")
        << Environment{"http://127.0.0.1:8787", {}, 4096, 0} << Shell::PowerShell
        << "$env:ANTHROPIC_BASE_URL=\"http://127.0.0.1:8787\"; $env:ANTHROPIC_API_KEY=\"modelrelay\"; "
           "$env:CLAUDE_CODE_MAX_OUTPUT_TOKENS=\"4096\"";
}

void TestClaudeCodeSetup::line() {
    QFETCH(Environment, environment);
    QFETCH(Shell, shell);
    QFETCH(QString, expected);
    QCOMPARE(ClaudeCodeSetup::line(environment, shell), expected);
}

void TestClaudeCodeSetup::accessTokenIsTheKey() {
    ProxyConfig config;
    QCOMPARE(ClaudeCodeSetup::environmentFor(config, "http://127.0.0.1:1").apiKey, QString());
    config.accessToken = "tok-123";
    const Environment environment = ClaudeCodeSetup::environmentFor(config, "http://127.0.0.1:1");
    QCOMPARE(environment.apiKey, QString("tok-123"));
    QCOMPARE(environment.baseUrl, QString("http://127.0.0.1:1"));
}

void TestClaudeCodeSetup::limitsComeFromTheMainModels() {
    ProxyConfig config;
    config.backend.kind = BackendKind::OpenAI;
    config.modelMap.defaultModel = "m";
    // OpenAI-compatible, nothing configured: nothing to say.
    Environment environment = ClaudeCodeSetup::environmentFor(config, "http://x");
    QCOMPARE(environment.maxOutputTokens, 0);
    QCOMPARE(environment.autoCompactWindow, 0);
    // Ollama: the context cap is the window.
    config.backend.kind = BackendKind::Ollama;
    config.backend.ollamaContextSize = 32768;
    environment = ClaudeCodeSetup::environmentFor(config, "http://x");
    QCOMPARE(environment.autoCompactWindow, 32768);
    // Rules for sonnet and opus: the smaller of each limit; the haiku rule doesn't count.
    config.modelMap.rules = {ModelRule{"claude-*haiku*", "small", 1024, 4096},
                             ModelRule{"claude-sonnet-*", "big", 8192, 65536},
                             ModelRule{"claude-opus-*", "bigger", 16384, 49152}};
    environment = ClaudeCodeSetup::environmentFor(config, "http://x");
    QCOMPARE(environment.maxOutputTokens, 8192);
    QCOMPARE(environment.autoCompactWindow, 49152);
    // The profile's output cap applies where a rule sets none.
    config.modelMap.rules = {ModelRule{"claude-*", "big", 0, 0}};
    config.backend.maxOutputTokens = 4000;
    environment = ClaudeCodeSetup::environmentFor(config, "http://x");
    QCOMPARE(environment.maxOutputTokens, 4000);
    QCOMPARE(ClaudeCodeSetup::line(environment, Shell::Posix),
             QString("export ANTHROPIC_BASE_URL=http://x ANTHROPIC_API_KEY=modelrelay "
                     "CLAUDE_CODE_MAX_OUTPUT_TOKENS=4000 "
                     "CLAUDE_CODE_AUTO_COMPACT_WINDOW=32768"));
}

void TestClaudeCodeSetup::whatTheBackendReportedNarrowsTheLimits() {
    ProxyConfig config;
    config.backend.kind = BackendKind::Ollama;
    config.backend.ollamaContextSize = 32768;
    config.modelMap.rules = {ModelRule{"claude-*", "qwen2.5-coder:7b", 0, 0}};
    QList<QString> asked;
    auto facts = [&asked](const QString &model) {
        asked << model;
        return model == "qwen2.5-coder:7b" ? ClaudeCodeSetup::ModelFacts{16384, 8192}
                                           : ClaudeCodeSetup::ModelFacts{};
    };
    // Ollama said the model holds 16384 tokens, less than the cap; the server refused more than
    // 8192 output tokens once.
    Environment environment = ClaudeCodeSetup::environmentFor(config, "http://x", facts);
    QCOMPARE(environment.autoCompactWindow, 16384);
    QCOMPARE(environment.maxOutputTokens, 8192);
    QVERIFY(asked.contains("qwen2.5-coder:7b"));
    // A model larger than the cap: the cap is what num_ctx gets, so it stays the window.
    environment = ClaudeCodeSetup::environmentFor(config, "http://x", [](const QString &) {
        return ClaudeCodeSetup::ModelFacts{131072, 0};
    });
    QCOMPARE(environment.autoCompactWindow, 32768);
    QCOMPARE(environment.maxOutputTokens, 0);
    // A rule's own context is what the model gets: it stands, whatever was reported.
    config.modelMap.rules = {ModelRule{"claude-*", "qwen2.5-coder:7b", 4096, 12000}};
    environment = ClaudeCodeSetup::environmentFor(config, "http://x", facts);
    QCOMPARE(environment.autoCompactWindow, 12000);
    QCOMPARE(environment.maxOutputTokens, 4096);
}

QTEST_GUILESS_MAIN(TestClaudeCodeSetup)
#include "tst_claudecodesetup.moc"
