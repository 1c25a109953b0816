#include "ParsedRequest.h"
#include "anthropic/RequestParser.h"
#include "backends/anthropic_native/AnthropicNativeRequestBuilder.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

class TestAnthropicNativeRequestBuilder : public QObject {
    Q_OBJECT
private slots:
    void golden_data();
    void golden();
    void recordedRequestsPassThrough_data();
    void recordedRequestsPassThrough();
    void capsMaxTokensWithANote();
    void keepsTheBillingHeaderWhenAsked();
    void requestLineAndHeaders_data();
    void requestLineAndHeaders();
    void forwardsTheClientsVersionBetasAndCredentials();
};

namespace {
const ModelTarget kTarget{"qwen3:8b", 0, 0, "default"};

QByteArray compact(const QJsonValue &value) {
    return value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
}
} // namespace

void TestAnthropicNativeRequestBuilder::golden_data() {
    QTest::addColumn<QByteArray>("client");
    QTest::addColumn<QByteArray>("backend");

    QTest::newRow("only the model changes, streaming is always on")
        << QByteArray(
               R"({"model":"claude-sonnet-4-5","max_tokens":100,"system":"Be brief.","temperature":0.2,"messages":[{"role":"user","content":"Hi"}]})")
        << QByteArray(
               R"({"model":"qwen3:8b","max_tokens":100,"system":"Be brief.","temperature":0.2,"stream":true,"messages":[{"role":"user","content":"Hi"}]})");
    QTest::newRow("unknown fields, tools, thinking and blocks are forwarded untouched")
        << QByteArray(
               R"({"model":"claude","max_tokens":64,"stream":true,"thinking":{"type":"enabled","budget_tokens":32},"context_management":{"edits":[]},
               "tools":[{"name":"Read","description":"r","input_schema":{"type":"object","properties":{"p":{"type":"string"}}},"cache_control":{"type":"ephemeral"}}],
               "tool_choice":{"type":"auto"},
               "messages":[{"role":"user","content":[{"type":"text","text":"go","cache_control":{"type":"ephemeral"}}]},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"backend-sig"},{"type":"tool_use","id":"toolu_1","name":"Read","input":{"p":"/a"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"A"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]}]}]})")
        << QByteArray(
               R"({"model":"qwen3:8b","max_tokens":64,"stream":true,"thinking":{"type":"enabled","budget_tokens":32},"context_management":{"edits":[]},
               "tools":[{"name":"Read","description":"r","input_schema":{"type":"object","properties":{"p":{"type":"string"}}},"cache_control":{"type":"ephemeral"}}],
               "tool_choice":{"type":"auto"},
               "messages":[{"role":"user","content":[{"type":"text","text":"go","cache_control":{"type":"ephemeral"}}]},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"backend-sig"},{"type":"tool_use","id":"toolu_1","name":"Read","input":{"p":"/a"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"A"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]}]}]})");
    QTest::newRow("billing line, metadata and inline system messages: the fixes every backend gets")
        << QByteArray(
               R"({"model":"claude","max_tokens":8,"stream":false,"metadata":{"user_id":"user_abc"},
               "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1; cch=42;"},{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
               "messages":[{"role":"system","content":"Env: linux"},{"role":"user","content":"Hi"},{"role":"system","content":[{"type":"text","text":"Reminder"}]}]})")
        << QByteArray(
               R"({"model":"qwen3:8b","max_tokens":8,"stream":true,
               "system":[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Env: linux"},{"type":"text","text":"Reminder"}],
               "messages":[{"role":"user","content":"Hi"}]})");
    QTest::newRow("inline system message without a system prompt")
        << QByteArray(
               R"({"model":"claude","max_tokens":8,"messages":[{"role":"system","content":"Env"},{"role":"user","content":"Hi"}]})")
        << QByteArray(
               R"({"model":"qwen3:8b","max_tokens":8,"stream":true,"system":[{"type":"text","text":"Env"}],"messages":[{"role":"user","content":"Hi"}]})");
}

void TestAnthropicNativeRequestBuilder::golden() {
    QFETCH(QByteArray, client);
    QFETCH(QByteArray, backend);
    const QJsonObject built =
        AnthropicNativeRequestBuilder::buildBody(parsed(client), kTarget, BackendProfile{}, nullptr);
    const QJsonObject expected = object(backend);
    QVERIFY2(!expected.isEmpty(), "expected JSON does not parse");
    QCOMPARE(QString::fromUtf8(compact(built)), QString::fromUtf8(compact(expected)));
}

void TestAnthropicNativeRequestBuilder::recordedRequestsPassThrough_data() {
    QTest::addColumn<QString>("file");
    const QDir dir(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code"));
    const QStringList files = dir.entryList({QStringLiteral("*.request.json")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 7);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

// Everything but model, max_tokens and the documented fixes reaches the backend byte for byte.
void TestAnthropicNativeRequestBuilder::recordedRequestsPassThrough() {
    QFETCH(QString, file);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray body = f.readAll();
    ParseOptions options;
    options.requireMaxTokens = false; // the count_tokens recording has none
    auto result = RequestParser::parse(body, options);
    QVERIFY(std::holds_alternative<MessageRequest>(result));
    const MessageRequest request = std::get<MessageRequest>(result);
    BackendProfile profile;
    profile.maxOutputTokens = 4096;
    // Byte for byte needs "keep": the default (portable) drops $schema from tool schemas, which
    // tst_toolschemasanitizer covers.
    profile.toolSchemas = ToolSchemaPolicy::Keep;
    const QJsonObject client = object(body);
    const QJsonObject built = AnthropicNativeRequestBuilder::buildBody(request, kTarget, profile, nullptr);

    QCOMPARE(built.value("model").toString(), QString("qwen3:8b"));
    if (client.contains("max_tokens"))
        QCOMPARE(built.value("max_tokens").toInt(), qMin(client.value("max_tokens").toInt(), 4096));
    QCOMPARE(built.value("stream").toBool(), true);
    QVERIFY(!built.contains("metadata"));

    const QStringList fixed{"model", "max_tokens", "stream", "metadata", "system", "messages"};
    for (auto it = client.begin(); it != client.end(); ++it) {
        if (fixed.contains(it.key()))
            continue;
        QVERIFY2(built.contains(it.key()), qPrintable(it.key()));
        QCOMPARE(compact(built.value(it.key())), compact(it.value()));
    }
    for (auto it = built.begin(); it != built.end(); ++it)
        QVERIFY2(client.contains(it.key()) || fixed.contains(it.key()), qPrintable(it.key()));

    // messages: the same, in order, except inline system messages, which end the system prompt.
    QJsonArray expectedMessages;
    QJsonArray expectedSystem;
    for (const QJsonValue &block : client.value("system").toArray()) {
        if (!block.toObject().value("text").toString().startsWith("x-anthropic-billing-header:"))
            expectedSystem.append(block);
    }
    for (const QJsonValue &message : client.value("messages").toArray()) {
        if (message.toObject().value("role").toString() != "system") {
            expectedMessages.append(message);
            continue;
        }
        const QJsonValue content = message.toObject().value("content");
        if (content.isString())
            expectedSystem.append(QJsonObject{{"type", "text"}, {"text", content.toString()}});
        else
            for (const QJsonValue &block : content.toArray())
                expectedSystem.append(block);
    }
    QCOMPARE(compact(built.value("messages")), compact(expectedMessages));
    if (expectedSystem.isEmpty())
        QVERIFY(!built.contains("system") || built.value("system") == client.value("system"));
    else
        QCOMPARE(compact(built.value("system")), compact(expectedSystem));
}

void TestAnthropicNativeRequestBuilder::capsMaxTokensWithANote() {
    const MessageRequest request = parsed(
        R"({"model":"claude","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":16000},"messages":[{"role":"user","content":"Hi"}]})");
    QStringList notes;
    const ModelTarget capped{"qwen3:8b", 8192, 0, "claude-*"};
    const QJsonObject built =
        AnthropicNativeRequestBuilder::buildBody(request, capped, BackendProfile{}, &notes);
    QCOMPARE(built.value("max_tokens").toInt(), 8192);
    // Anthropic's rule, checked by native servers too: the budget must stay below max_tokens.
    QCOMPARE(built.value("thinking").toObject().value("budget_tokens").toInt(), 8191);
    QCOMPARE(notes.size(), 2);
    QVERIFY2(notes.at(0).contains("capped to 8192"), qPrintable(notes.join(';')));

    // The profile's cap applies when the rule sets none.
    BackendProfile profile;
    profile.maxOutputTokens = 1000;
    QCOMPARE(AnthropicNativeRequestBuilder::buildBody(request, kTarget, profile, nullptr)
                 .value("max_tokens")
                 .toInt(),
             1000);
}

void TestAnthropicNativeRequestBuilder::keepsTheBillingHeaderWhenAsked() {
    const QByteArray body =
        R"({"model":"claude","max_tokens":8,"system":[{"type":"text","text":"x-anthropic-billing-header: cch=1;"},{"type":"text","text":"S"}],"messages":[{"role":"user","content":"Hi"}]})";
    ParseOptions keep;
    keep.keepBillingHeader = true;
    const QJsonObject built = AnthropicNativeRequestBuilder::buildBody(
        std::get<MessageRequest>(RequestParser::parse(body, keep)), kTarget, BackendProfile{}, nullptr);
    QCOMPARE(compact(built.value("system")), compact(object(body).value("system")));
}

void TestAnthropicNativeRequestBuilder::requestLineAndHeaders_data() {
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("url");
    QTest::newRow("ollama root") << "http://127.0.0.1:11434"
                                 << "http://127.0.0.1:11434/v1/messages";
    QTest::newRow("trailing slash") << "http://gpu:8080/"
                                    << "http://gpu:8080/v1/messages";
    QTest::newRow("base already ends with /v1") << "http://127.0.0.1:8000/v1"
                                                << "http://127.0.0.1:8000/v1/messages";
    QTest::newRow("behind a path prefix") << "https://box.test/llm"
                                          << "https://box.test/llm/v1/messages";
}

void TestAnthropicNativeRequestBuilder::requestLineAndHeaders() {
    QFETCH(QString, baseUrl);
    QFETCH(QString, url);
    BackendProfile profile;
    profile.kind = BackendKind::Anthropic;
    profile.baseUrl = QUrl(baseUrl);
    const MessageRequest request =
        parsed(R"({"model":"claude","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]})");
    BackendRequest built = AnthropicNativeRequestBuilder::build(request, kTarget, profile, {}, nullptr);
    QCOMPARE(built.url.toString(), url);
    auto header = [&](const QByteArray &name) {
        for (const auto &[key, value] : built.headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return QByteArray();
    };
    QCOMPARE(header("anthropic-version"), QByteArray("2023-06-01"));
    QCOMPARE(header("x-api-key"), QByteArray());
    QCOMPARE(header("Authorization"), QByteArray());

    profile.apiKey = "sk-local";
    built = AnthropicNativeRequestBuilder::build(request, kTarget, profile, {}, nullptr);
    QCOMPARE(header("x-api-key"), QByteArray("sk-local"));
    QCOMPARE(header("Authorization"), QByteArray("Bearer sk-local"));
    QCOMPARE(object(built.body).value("model").toString(), QString("qwen3:8b"));
}

// Issue #12, item 5: the client's version and betas go on (betas decide features such as
// interleaved thinking); its credentials only when the profile has no key of its own.
void TestAnthropicNativeRequestBuilder::forwardsTheClientsVersionBetasAndCredentials() {
    BackendProfile profile;
    profile.kind = BackendKind::Anthropic;
    profile.baseUrl = QUrl("https://gateway.test");
    MessageRequest request =
        parsed(R"({"model":"claude","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]})");
    request.betaEndpoint = true;
    const HttpHeaders client{{"Anthropic-Version", "2023-06-01"},
                             {"anthropic-beta", "interleaved-thinking-2025-05-14"},
                             {"X-Api-Key", "sk-ant-client"},
                             {"Host", "127.0.0.1:8787"},
                             {"Content-Length", "90"}};
    QStringList notes;
    BackendRequest built = AnthropicNativeRequestBuilder::build(request, kTarget, profile, client, &notes);
    QCOMPARE(built.url.toString(), QString("https://gateway.test/v1/messages?beta=true"));
    QCOMPARE(built.headers, (HttpHeaders{{"Accept", "text/event-stream"},
                                         {"anthropic-version", "2023-06-01"},
                                         {"anthropic-beta", "interleaved-thinking-2025-05-14"},
                                         {"x-api-key", "sk-ant-client"}}));
    QCOMPARE(notes.size(), 1);
    QVERIFY(!notes.first().contains("sk-ant"));

    profile.apiKey = "sk-profile";
    built = AnthropicNativeRequestBuilder::build(request, kTarget, profile, client, nullptr);
    for (const auto &[name, value] : built.headers)
        QVERIFY2(!value.contains("sk-ant-client"), name.constData());
}

QTEST_APPLESS_MAIN(TestAnthropicNativeRequestBuilder)
#include "tst_anthropicnativerequestbuilder.moc"
