#include "ParsedRequest.h"
#include "anthropic/RequestParser.h"
#include "backends/openai/OpenAiRequestBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

class TestOpenAiRequestBuilder : public QObject {
    Q_OBJECT
private slots:
    void golden_data();
    void golden();
    void capsMaxTokensWithANote();
    void requestLineAndHeaders();
    void recordedRequestShape_data();
    void recordedRequestShape();
    void countTokensBody();
    void recordedRequests();
    void deferredToolsLoadedByToolSearch();
    void reasoningEffortCanBeTurnedOff();
};

namespace {
const ModelTarget kTarget{"local-model", 0, 0, "default"};
} // namespace

void TestOpenAiRequestBuilder::golden_data() {
    QTest::addColumn<QByteArray>("anthropic");
    QTest::addColumn<QByteArray>("openai");
    const QByteArray common =
        R"("model":"local-model","stream":true,"stream_options":{"include_usage":true})";

    QTest::newRow("system string and text")
        << QByteArray(
               R"({"model":"claude","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]})")
        << "{" + common +
               R"(,"max_tokens":100,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]})";
    QTest::newRow("system blocks joined, text blocks joined")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"system":[{"type":"text","text":"A"},{"type":"text","text":"B"}],
              "messages":[{"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}]})")
        << "{" + common +
               R"(,"max_tokens":5,"messages":[{"role":"system","content":"A\n\nB"},{"role":"user","content":"one\n\ntwo"}]})";
    QTest::newRow("images as parts")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"what?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},
              {"type":"image","source":{"type":"url","url":"https://x.test/a.png"}}]}]})")
        << "{" + common +
               R"(,"max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"what?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},{"type":"image_url","image_url":{"url":"https://x.test/a.png"}}]}]})";
    QTest::newRow("assistant tool calls with reasoning, then results first")
        << QByteArray(R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"s"},{"type":"text","text":"Reading."},
                  {"type":"tool_use","id":"call_1","name":"Read","input":{"file_path":"/a"}},{"type":"tool_use","id":"call_2","name":"Glob","input":{}}]},
              {"role":"user","content":[{"type":"text","text":"and then?"},{"type":"tool_result","tool_use_id":"call_1","content":"A"},
                  {"type":"tool_result","tool_use_id":"call_2","is_error":true,"content":[{"type":"text","text":"bad glob"}]}]}]})")
        << "{" + common + R"(,"max_tokens":5,"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":"Reading.","reasoning_content":"plan","tool_calls":[
                  {"id":"call_1","type":"function","function":{"name":"Read","arguments":"{\"file_path\":\"/a\"}"}},
                  {"id":"call_2","type":"function","function":{"name":"Glob","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"A"},{"role":"tool","tool_call_id":"call_2","content":"Error: bad glob"},
              {"role":"user","content":"and then?"}]})";
    // Claude Code returns parallel results in the order the tools finished; templates that pair by
    // position need the order of the calls.
    QTest::newRow("parallel results of the same tool in call order")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"read a and b"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"Read","input":{"file_path":"/a"}},
                  {"type":"tool_use","id":"toolu_b","name":"Read","input":{"file_path":"/b"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_b","content":"B"},
                  {"type":"tool_result","tool_use_id":"toolu_a","content":"A"},{"type":"tool_result","tool_use_id":"toolu_x","content":"X"}]}]})")
        << "{" + common + R"(,"max_tokens":5,"messages":[{"role":"user","content":"read a and b"},
              {"role":"assistant","content":null,"tool_calls":[
                  {"id":"toolu_a","type":"function","function":{"name":"Read","arguments":"{\"file_path\":\"/a\"}"}},
                  {"id":"toolu_b","type":"function","function":{"name":"Read","arguments":"{\"file_path\":\"/b\"}"}}]},
              {"role":"tool","tool_call_id":"toolu_a","content":"A"},{"role":"tool","tool_call_id":"toolu_b","content":"B"},
              {"role":"tool","tool_call_id":"toolu_x","content":"X"}]})";
    QTest::newRow("assistant with only tool calls has null content")
        << QByteArray(R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":[{"type":"tool_use","id":"c","name":"Now","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":"12:00"}]}]})")
        << "{" + common + R"(,"max_tokens":5,"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"Now","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"c","content":"12:00"}]})";
    QTest::newRow("image inside a tool result follows as a user message")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"c",
              "content":[{"type":"text","text":"screenshot"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j"}}]}]}]})")
        << "{" + common +
               R"(,"max_tokens":5,"messages":[{"role":"tool","tool_call_id":"c","content":"screenshot"},
              {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j"}}]}]})";
    QTest::newRow("tools, tool_choice any, no parallel")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"tools":[{"name":"Read","description":"Reads","input_schema":{"type":"object","properties":{"p":{"type":"string"}}}},
              {"name":"Now","input_schema":{}}],"tool_choice":{"type":"any","disable_parallel_tool_use":true},"messages":[{"role":"user","content":"x"}]})")
        << "{" + common + R"(,"max_tokens":5,"messages":[{"role":"user","content":"x"}],
              "tools":[{"type":"function","function":{"name":"Read","description":"Reads","parameters":{"type":"object","properties":{"p":{"type":"string"}}}}},
                       {"type":"function","function":{"name":"Now","parameters":{"type":"object","properties":{}}}}],
              "tool_choice":"required","parallel_tool_calls":false})";
    QTest::newRow("tool_choice tool and none")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"tools":[{"name":"Read","input_schema":{"type":"object","properties":{}}}],
              "tool_choice":{"type":"tool","name":"Read"},"messages":[{"role":"user","content":"x"}]})")
        << "{" + common + R"(,"max_tokens":5,"messages":[{"role":"user","content":"x"}],
              "tools":[{"type":"function","function":{"name":"Read","parameters":{"type":"object","properties":{}}}}],
              "tool_choice":{"type":"function","function":{"name":"Read"}}})";
    QTest::newRow("sampling and stop sequences")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"temperature":0.5,"top_p":0.9,"top_k":20,"stop_sequences":["###"],"messages":[{"role":"user","content":"x"}]})")
        << "{" + common +
               R"(,"max_tokens":5,"temperature":0.5,"top_p":0.9,"top_k":20,"stop":["###"],"messages":[{"role":"user","content":"x"}]})";
    QTest::newRow("structured output; adaptive thinking's effort as reasoning_effort")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"thinking":{"type":"adaptive"},"output_config":{"effort":"low","format":{"type":"json_schema","schema":{"type":"object"}}},
              "messages":[{"role":"user","content":"x"}]})")
        << "{" + common +
               R"(,"max_tokens":5,"messages":[{"role":"user","content":"x"}],"reasoning_effort":"low",
              "response_format":{"type":"json_schema","json_schema":{"name":"output","schema":{"type":"object"}}}})";
    QTest::newRow("effort xhigh and max are high")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"thinking":{"type":"adaptive"},"output_config":{"effort":"xhigh"},
              "messages":[{"role":"user","content":"x"}]})")
        << "{" + common +
               R"(,"max_tokens":5,"messages":[{"role":"user","content":"x"}],"reasoning_effort":"high"})";
    QTest::newRow("a thinking budget as an effort")
        << QByteArray(R"({"model":"claude","max_tokens":5,"thinking":{"type":"enabled","budget_tokens":4000},
              "messages":[{"role":"user","content":"x"}]})")
        << "{" + common +
               R"(,"max_tokens":5,"messages":[{"role":"user","content":"x"}],"reasoning_effort":"low"})";
    QTest::newRow("no effort when thinking is off or adaptive without one")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"thinking":{"type":"disabled"},"output_config":{"effort":"high"},
              "messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"},{"role":"user","content":"z"}]})")
        << "{" + common +
               R"(,"max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"},{"role":"user","content":"z"}]})";
    QTest::newRow("redacted thinking and empty turns dropped")
        << QByteArray(R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"x"},
              {"role":"assistant","content":[{"type":"redacted_thinking","data":"zzz"}]},{"role":"user","content":[]}]})")
        << "{" + common + R"(,"max_tokens":5,"messages":[{"role":"user","content":"x"}]})";
}

void TestOpenAiRequestBuilder::golden() {
    QFETCH(QByteArray, anthropic);
    QFETCH(QByteArray, openai);
    const QJsonObject expected = object(openai);
    QVERIFY2(!expected.isEmpty(), "expected JSON does not parse");
    QStringList notes;
    const QJsonObject actual =
        OpenAiRequestBuilder::buildBody(parsed(anthropic), kTarget, BackendProfile{}, &notes);
    if (actual != expected)
        qWarning().noquote() << "actual:" << QJsonDocument(actual).toJson(QJsonDocument::Compact);
    QCOMPARE(actual, expected);
}

void TestOpenAiRequestBuilder::capsMaxTokensWithANote() {
    const MessageRequest request =
        parsed(R"({"model":"claude","max_tokens":32000,"messages":[{"role":"user","content":"x"}]})");
    QStringList notes;
    BackendProfile profile;
    profile.maxOutputTokens = 16384;
    QCOMPARE(OpenAiRequestBuilder::buildBody(request, kTarget, profile, &notes).value("max_tokens").toInt(),
             16384);
    QCOMPARE(OpenAiRequestBuilder::buildBody(request, ModelTarget{"m", 8192, 0, "r"}, profile, &notes)
                 .value("max_tokens")
                 .toInt(),
             8192);
    QVERIFY(notes.first().contains("32000 capped to 16384"));
    notes.clear();
    QCOMPARE(OpenAiRequestBuilder::buildBody(request, kTarget, BackendProfile{}, &notes)
                 .value("max_tokens")
                 .toInt(),
             32000);
    QVERIFY(notes.isEmpty());
}

void TestOpenAiRequestBuilder::requestLineAndHeaders() {
    const MessageRequest request =
        parsed(R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"x"}]})");
    BackendProfile profile;
    profile.kind = BackendKind::OpenAI;
    profile.baseUrl = QUrl("https://openrouter.ai/api/v1/");
    BackendRequest out = OpenAiRequestBuilder::build(request, kTarget, profile, nullptr);
    QCOMPARE(out.url.toString(), QString("https://openrouter.ai/api/v1/chat/completions"));
    for (const auto &header : out.headers)
        QVERIFY(header.first != "Authorization");
    profile.apiKey = "sk-test";
    profile.baseUrl = QUrl("http://127.0.0.1:8080/v1");
    out = OpenAiRequestBuilder::build(request, kTarget, profile, nullptr);
    QCOMPARE(out.url.toString(), QString("http://127.0.0.1:8080/v1/chat/completions"));
    QVERIFY(out.headers.contains(qMakePair(QByteArray("Authorization"), QByteArray("Bearer sk-test"))));
    QVERIFY(!out.body.contains('\n'));
    QCOMPARE(object(out.body).value("model").toString(), QString("local-model"));
}

void TestOpenAiRequestBuilder::recordedRequestShape_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("requireMaxTokens");
    QTest::addColumn<QString>("inlineSystemStart");
    QTest::addColumn<int>("toolCount");
    const QString agents = QStringLiteral("Available agent types for the Agent tool:");
    const QString environment = QStringLiteral("# Environment\nYou have been invoked");
    QTest::newRow("2.1.197 first turn") << "v2.1.197-first-turn" << true << agents << 24;
    QTest::newRow("2.1.197 tool result") << "v2.1.197-tool-result-turn" << true << agents << 24;
    // 2.1.331 lists a deferred placeholder tool that is never offered.
    QTest::newRow("2.1.331 first turn") << "v2.1.331-first-turn" << true << environment << 11;
    QTest::newRow("2.1.331 interactive") << "v2.1.331-interactive-first-turn" << true << environment << 12;
    QTest::newRow("2.1.331 parallel")
        << "v2.1.331-thinking-parallel-tool-results" << true << environment << 11;
    QTest::newRow("2.1.331 title") << "v2.1.331-title-request" << true << QString() << 0;
    QTest::newRow("2.1.331 tool result") << "v2.1.331-tool-result-turn" << true << environment << 11;
    // Two deferred tools loaded by ToolSearch are offered; the placeholder still is not.
    QTest::newRow("2.1.332 ToolSearch result") << "v2.1.332-toolsearch-result" << true << environment << 13;
}

// Every recorded request: one system message, first, holding the inline system text but not the
// billing line; function tools; every tool message answers a tool call made before it.
void TestOpenAiRequestBuilder::recordedRequestShape() {
    QFETCH(QString, file);
    QFETCH(bool, requireMaxTokens);
    QFETCH(QString, inlineSystemStart);
    QFETCH(int, toolCount);
    QFile f(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/") + file + QStringLiteral(".request.json"));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    ParseOptions options;
    options.requireMaxTokens = requireMaxTokens;
    const QByteArray bytes = f.readAll();
    auto result = RequestParser::parse(bytes, options);
    QVERIFY(std::holds_alternative<MessageRequest>(result));
    const QJsonObject body =
        OpenAiRequestBuilder::buildBody(std::get<MessageRequest>(result), kTarget, BackendProfile{}, nullptr);

    const QJsonArray messages = body.value("messages").toArray();
    QVERIFY(messages.size() >= 2);
    const QJsonObject system = messages.at(0).toObject();
    QCOMPARE(system.value("role").toString(), QString("system"));
    const QString systemText = system.value("content").toString();
    QVERIFY2(systemText.startsWith("You are "),
             "the identity line should lead once the billing line is gone");
    QVERIFY(!systemText.contains("x-anthropic-billing-header"));
    if (!inlineSystemStart.isEmpty())
        QVERIFY2(systemText.contains(inlineSystemStart), "inline system message not merged");

    QSet<QString> callIds;
    for (qsizetype i = 1; i < messages.size(); ++i) {
        const QJsonObject message = messages.at(i).toObject();
        const QString role = message.value("role").toString();
        QVERIFY2(role == "user" || role == "assistant" || role == "tool", qPrintable(role));
        for (const QJsonValue &call : message.value("tool_calls").toArray())
            callIds.insert(call.toObject().value("id").toString());
        if (role == "tool")
            QVERIFY(callIds.contains(message.value("tool_call_id").toString()));
    }

    const QJsonArray tools = body.value("tools").toArray();
    QCOMPARE(tools.size(), toolCount);
    for (const QJsonValue &tool : tools) {
        QCOMPARE(tool.toObject().value("type").toString(), QString("function"));
        QVERIFY(!tool.toObject().value("function").toObject().value("name").toString().isEmpty());
        QCOMPARE(tool.toObject().value("function").toObject().value("parameters").toObject().value("type"),
                 QJsonValue("object"));
    }
    QVERIFY(!body.contains("thinking"));
    // Claude Code's adaptive thinking and output_config.effort; no thinking field (title) means none.
    const QJsonObject client = object(bytes);
    const QString effort = client.value("output_config").toObject().value("effort").toString();
    if (client.contains("thinking"))
        QCOMPARE(body.value("reasoning_effort").toString(), effort);
    else
        QVERIFY(!body.contains("reasoning_effort"));
}

// The count_tokens body has no system prompt and no max_tokens: it still translates, without a
// system message and without a max_tokens field.
void TestOpenAiRequestBuilder::countTokensBody() {
    QFile f(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/v2.1.331-count-tokens.request.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    ParseOptions options;
    options.requireMaxTokens = false;
    auto result = RequestParser::parse(f.readAll(), options);
    QVERIFY(std::holds_alternative<MessageRequest>(result));
    const QJsonObject body =
        OpenAiRequestBuilder::buildBody(std::get<MessageRequest>(result), kTarget, BackendProfile{}, nullptr);
    const QJsonArray messages = body.value("messages").toArray();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.at(0).toObject().value("role").toString(), QString("user"));
    QVERIFY(messages.at(0).toObject().value("content").toString().startsWith("When you use a pronoun"));
    QVERIFY(!body.contains("max_tokens"));
    QVERIFY(!body.contains("tools"));
}

void TestOpenAiRequestBuilder::recordedRequests() {
    const QString dir = QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/");
    auto load = [&](const char *name) {
        QFile f(dir + QLatin1String(name));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("missing %s", name);
        return OpenAiRequestBuilder::buildBody(parsed(f.readAll()), kTarget, BackendProfile{}, nullptr);
    };
    const QJsonObject first = load("v2.1.197-first-turn.request.json");
    QCOMPARE(first.value("tools").toArray().size(), 24);
    const QJsonArray messages = first.value("messages").toArray();
    QCOMPARE(messages.at(0).toObject().value("role").toString(), QString("system"));
    for (qsizetype i = 1; i < messages.size(); ++i)
        QVERIFY(messages.at(i).toObject().value("role").toString() != "system");

    const QJsonArray turn = load("v2.1.331-tool-result-turn.request.json").value("messages").toArray();
    const QJsonObject assistant = turn.at(turn.size() - 2).toObject();
    const QJsonObject tool = turn.last().toObject();
    QCOMPARE(tool.value("role").toString(), QString("tool"));
    QCOMPARE(tool.value("tool_call_id").toString(),
             assistant.value("tool_calls").toArray().at(0).toObject().value("id").toString());

    const QJsonArray parallel =
        load("v2.1.331-thinking-parallel-tool-results.request.json").value("messages").toArray();
    const QJsonObject caller = parallel.at(parallel.size() - 3).toObject();
    QCOMPARE(caller.value("tool_calls").toArray().size(), 2);
    QVERIFY(!caller.value("reasoning_content").toString().isEmpty());
    QCOMPARE(parallel.at(parallel.size() - 2).toObject().value("tool_call_id").toString(),
             QString("toolu_42f5e1d678794b5999f7bb23"));
    QCOMPARE(parallel.last().toObject().value("tool_call_id").toString(),
             QString("toolu_7b44a7cb5a9b467da65e6749"));

    const QJsonObject title = load("v2.1.331-title-request.request.json");
    QCOMPARE(title.value("response_format")
                 .toObject()
                 .value("json_schema")
                 .toObject()
                 .value("schema")
                 .toObject()
                 .value("required")
                 .toArray()
                 .at(0)
                 .toString(),
             QString("title"));
}

// ToolSearch's answer (tool_reference blocks) becomes the <functions> block its description
// promises the model; the tools it loaded are offered, the other deferred ones are not.
void TestOpenAiRequestBuilder::deferredToolsLoadedByToolSearch() {
    QFile f(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/v2.1.332-toolsearch-result.request.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QStringList notes;
    const QJsonObject body =
        OpenAiRequestBuilder::buildBody(parsed(f.readAll()), kTarget, BackendProfile{}, &notes);
    QStringList offered;
    QJsonObject cronList;
    for (const QJsonValue &tool : body.value("tools").toArray()) {
        const QJsonObject function = tool.toObject().value("function").toObject();
        offered.append(function.value("name").toString());
        if (offered.last() == "CronList")
            cronList = function;
    }
    QVERIFY(offered.contains("CronList"));
    QVERIFY(offered.contains("WebFetch"));
    QVERIFY(!offered.contains("DeferredToolPlaceholder"));
    QVERIFY(
        notes.contains("deferred tools not offered until ToolSearch loads them: DeferredToolPlaceholder"));

    const QJsonArray messages = body.value("messages").toArray();
    const QJsonObject result = messages.at(messages.size() - 2).toObject();
    QCOMPARE(result.value("role").toString(), QString("tool"));
    const QString content = result.value("content").toString();
    QVERIFY2(content.startsWith("<functions>\n<function>{\"description\":"), qPrintable(content));
    QVERIFY(content.endsWith("</function>\n</functions>"));
    QVERIFY(content.contains("<function>" + QJsonDocument(cronList).toJson(QJsonDocument::Compact) +
                             "</function>"));
    QVERIFY(content.contains("\"name\":\"WebFetch\""));
    QCOMPARE(messages.last().toObject().value("content").toString(), QString("Tool loaded."));
}

void TestOpenAiRequestBuilder::reasoningEffortCanBeTurnedOff() {
    const MessageRequest request = parsed(R"({"model":"claude","max_tokens":5,"thinking":{"type":"adaptive"},
        "output_config":{"effort":"high"},"messages":[{"role":"user","content":"x"}]})");
    QCOMPARE(OpenAiRequestBuilder::buildBody(request, kTarget, BackendProfile{}, nullptr)
                 .value("reasoning_effort"),
             QJsonValue("high"));
    BackendProfile off;
    off.reasoningEffort = false;
    QVERIFY(!OpenAiRequestBuilder::buildBody(request, kTarget, off, nullptr).contains("reasoning_effort"));
}

QTEST_APPLESS_MAIN(TestOpenAiRequestBuilder)
#include "tst_openairequestbuilder.moc"
