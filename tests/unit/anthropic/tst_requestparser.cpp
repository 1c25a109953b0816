#include "anthropic/RequestParser.h"

#include <QDir>
#include <QtTest>

using namespace modelrelay;

class TestRequestParser : public QObject {
    Q_OBJECT
private slots:
    void rejects_data();
    void rejects();
    void toleratesUnknownThings();
    void parsesEveryBlockType();
    void mergesInlineSystemMessages();
    void dropsBillingHeaderUnlessKept();
    void parsesOptions();
    void countTokensNeedsNoMaxTokens();
    void everyRecordedRequestParses();
    void recordedFirstTurn();
    void recordedParallelToolResults();
    void toolReferencesAndDeferredTools();
    void toolUseIdsMadeValid();
};

namespace {
std::variant<MessageRequest, ApiError> parse(const QByteArray &body, bool requireMaxTokens = true,
                                             bool keepBilling = false) {
    return RequestParser::parse(body, ParseOptions{requireMaxTokens, keepBilling});
}

MessageRequest parseOk(const QByteArray &body) {
    auto result = parse(body);
    if (auto *error = std::get_if<ApiError>(&result))
        qFatal("unexpected error: %s", qPrintable(error->message));
    return std::get<MessageRequest>(std::move(result));
}

QByteArray fixture(const QString &name) {
    QFile file(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}
} // namespace

void TestRequestParser::rejects_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    const QByteArray msgs = R"("messages":[{"role":"user","content":"hi"}])";
    QTest::newRow("not json") << QByteArray("{oops") << "request body is not valid JSON";
    QTest::newRow("empty body") << QByteArray("") << "request body is not valid JSON";
    QTest::newRow("array") << QByteArray("[]") << "request body must be a JSON object";
    QTest::newRow("string") << QByteArray("\"x\"") << "not valid JSON"; // Qt rejects scalars at top level
    QTest::newRow("no model") << "{\"max_tokens\":5," + msgs + "}"
                              << "model: field required";
    QTest::newRow("model not string") << "{\"model\":5,\"max_tokens\":5," + msgs + "}"
                                      << "model: must be a non-empty string";
    QTest::newRow("no max_tokens") << "{\"model\":\"m\"," + msgs + "}"
                                   << "max_tokens: field required";
    QTest::newRow("max_tokens string") << "{\"model\":\"m\",\"max_tokens\":\"9\"," + msgs + "}"
                                       << "max_tokens: must be an integer";
    QTest::newRow("max_tokens zero") << "{\"model\":\"m\",\"max_tokens\":0," + msgs + "}"
                                     << "max_tokens: must be at least 1";
    QTest::newRow("max_tokens fraction") << "{\"model\":\"m\",\"max_tokens\":1.5," + msgs + "}"
                                         << "max_tokens: must be an integer";
    QTest::newRow("no messages") << QByteArray(R"({"model":"m","max_tokens":5})")
                                 << "messages: field required";
    QTest::newRow("messages object") << QByteArray(R"({"model":"m","max_tokens":5,"messages":{}})")
                                     << "messages: must be an array";
    QTest::newRow("empty messages") << QByteArray(R"({"model":"m","max_tokens":5,"messages":[]})")
                                    << "messages: must contain at least one message";
    QTest::newRow("only system")
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"system","content":"s"}]})")
        << "at least one user or assistant message";
    QTest::newRow("unknown role")
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"tool","content":"x"}]})")
        << "messages.0.role: unknown role 'tool'";
    QTest::newRow("missing content") << QByteArray(
                                            R"({"model":"m","max_tokens":5,"messages":[{"role":"user"}]})")
                                     << "messages.0.content: field required";
    QTest::newRow("content number")
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":3}]})")
        << "messages.0.content: must be a string or an array";
    QTest::newRow("block without type")
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"text":"x"}]}]})")
        << "messages.0.content.0.type: field required";
    QTest::newRow("text block without text")
        << QByteArray(
               R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text"}]}]})")
        << "messages.0.content.0.text: must be a string";
    QTest::newRow("image without data")
        << QByteArray(
               R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":""}}]}]})")
        << "messages.0.content.0.source.data: image block has no data";
    QTest::newRow("image without source")
        << QByteArray(
               R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image"}]}]})")
        << "image block has no source";
    QTest::newRow("tool_use without id")
        << QByteArray(
               R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"A","input":{}}]}]})")
        << "messages.0.content.0.id: must be a string";
    QTest::newRow("tool_use with an empty name")
        << QByteArray(
               R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"","input":{}}]}]})")
        << "messages.0.content.0.name: must not be empty";
    QTest::newRow("tool with an empty name")
        << "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\" \",\"input_schema\":{}}]," + msgs + "}"
        << "tools.0.name: must not be empty";
    QTest::newRow("tool_choice naming no tool")
        << "{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"tool\",\"name\":\"\"}," + msgs + "}"
        << "tool_choice.name: must not be empty";
    QTest::newRow("temperature string")
        << "{\"model\":\"m\",\"max_tokens\":5,\"temperature\":\"hot\"," + msgs + "}"
        << "temperature: must be a number";
    QTest::newRow("stream string") << "{\"model\":\"m\",\"max_tokens\":5,\"stream\":\"yes\"," + msgs + "}"
                                   << "stream: must be a boolean";
    QTest::newRow("tools object") << "{\"model\":\"m\",\"max_tokens\":5,\"tools\":{}," + msgs + "}"
                                  << "tools: must be an array";
    QTest::newRow("stop_sequences numbers")
        << "{\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":[1]," + msgs + "}"
        << "stop_sequences: must be an array of strings";
}

void TestRequestParser::rejects() {
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    auto result = parse(body);
    QVERIFY(std::holds_alternative<ApiError>(result));
    const ApiError error = std::get<ApiError>(result);
    QCOMPARE(error.httpStatus(), 400);
    QCOMPARE(error.typeName(), QString("invalid_request_error"));
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
}

void TestRequestParser::toleratesUnknownThings() {
    const MessageRequest r =
        parseOk(R"({"model":"m","max_tokens":5,"context_management":{"edits":[]},"safeguards":{"x":1},
        "brand_new_field":true,"metadata":{"user_id":"u"},
        "tools":[{"type":"web_search_20250305","name":"web_search"},{"name":"Read","input_schema":{"type":"object"},"defer_loading":true}],
        "tool_choice":{"type":"mystery"},"thinking":{"type":"quantum"},
        "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}},
                                              {"type":"hologram","data":1},
                                              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBER"}},
                                              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"doc text"}}]}]})");
    QCOMPARE(r.messages.size(), std::size_t(1));
    QCOMPARE(r.messages[0].content.size(), std::size_t(2));
    QCOMPARE(r.messages[0].content[1].text, QString("doc text"));
    QCOMPARE(r.tools.size(), std::size_t(1));
    QCOMPARE(r.tools[0].name, QString("Read"));
    QVERIFY(!r.toolChoice);
    QCOMPARE(r.thinking.type, ThinkingConfig::Type::Disabled);
    const QString notes = r.notes.join('\n');
    for (const char *expected : {"ignored field 'context_management'", "ignored field 'safeguards'",
                                 "ignored field 'brand_new_field'", "web_search", "unknown type 'hologram'",
                                 "document block", "tool_choice", "thinking"})
        QVERIFY2(notes.contains(QLatin1String(expected)), qPrintable(notes));
    QVERIFY(!notes.contains("metadata"));
}

void TestRequestParser::parsesEveryBlockType() {
    const MessageRequest r = parseOk(R"({"model":"m","max_tokens":5,"messages":[
        {"role":"user","content":[{"type":"text","text":"look"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},
            {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]},
        {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},
            {"type":"redacted_thinking","data":"opaque"},{"type":"text","text":"ok"},
            {"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/a"}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,
            "content":[{"type":"text","text":"no such file"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j"}}]},
            {"type":"tool_result","tool_use_id":"toolu_2","content":"plain"}]}]})");
    QCOMPARE(r.messages.size(), std::size_t(3));
    const auto &user = r.messages[0].content;
    QCOMPARE(user[1].type, ContentBlock::Type::Image);
    QCOMPARE(user[1].mediaType, QString("image/png"));
    QCOMPARE(user[1].imageBase64, QString("iVBOR"));
    QCOMPARE(user[2].imageUrl, QString("https://example.com/a.png"));
    const auto &assistant = r.messages[1].content;
    QCOMPARE(r.messages[1].role, Message::Role::Assistant);
    QCOMPARE(assistant[0].type, ContentBlock::Type::Thinking);
    QCOMPARE(assistant[0].signature, QString("sig"));
    QCOMPARE(assistant[1].type, ContentBlock::Type::RedactedThinking);
    QCOMPARE(assistant[3].type, ContentBlock::Type::ToolUse);
    QCOMPARE(assistant[3].input.value("file_path").toString(), QString("/a"));
    const auto &results = r.messages[2].content;
    QCOMPARE(results[0].type, ContentBlock::Type::ToolResult);
    QVERIFY(results[0].isError);
    QCOMPARE(results[0].content.size(), std::size_t(2));
    QCOMPARE(results[0].content[1].type, ContentBlock::Type::Image);
    QCOMPARE(results[1].content[0].text, QString("plain"));
}

void TestRequestParser::mergesInlineSystemMessages() {
    const MessageRequest r = parseOk(R"({"model":"m","max_tokens":5,"system":"top",
        "messages":[{"role":"user","content":"a"},{"role":"system","content":"inline one"},
                    {"role":"assistant","content":"b"},{"role":"system","content":[{"type":"text","text":"inline two"}]},
                    {"role":"user","content":"c"}]})");
    QCOMPARE(r.system, QStringList({"top", "inline one", "inline two"}));
    QCOMPARE(r.messages.size(), std::size_t(3));
    QVERIFY(r.notes.join(' ').contains("inline system message"));
}

void TestRequestParser::dropsBillingHeaderUnlessKept() {
    const QByteArray body =
        R"({"model":"m","max_tokens":5,"system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1; cch=abc;"},
        {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"a"}]})";
    QCOMPARE(parseOk(body).system, QStringList{"You are Claude Code."});
    auto kept = parse(body, true, true);
    QCOMPARE(std::get<MessageRequest>(kept).system.size(), 2);
}

void TestRequestParser::parsesOptions() {
    const MessageRequest r = parseOk(
        R"({"model":"claude-x","max_tokens":32000,"stream":true,"temperature":0.2,"top_p":0.9,"top_k":40,
        "stop_sequences":["END","STOP"],"tool_choice":{"type":"tool","name":"Read","disable_parallel_tool_use":true},
        "thinking":{"type":"enabled","budget_tokens":31999,"display":"omitted"},
        "output_config":{"effort":"high","format":{"type":"json_schema","schema":{"type":"object"}}},
        "messages":[{"role":"user","content":"a"}]})");
    QCOMPARE(r.model, QString("claude-x"));
    QCOMPARE(r.maxTokens, 32000);
    QVERIFY(r.stream);
    QCOMPARE(*r.temperature, 0.2);
    QCOMPARE(*r.topP, 0.9);
    QCOMPARE(*r.topK, 40);
    QCOMPARE(r.stopSequences, QStringList({"END", "STOP"}));
    QCOMPARE(r.toolChoice->type, ToolChoice::Type::Tool);
    QCOMPARE(r.toolChoice->name, QString("Read"));
    QVERIFY(r.toolChoice->disableParallelToolUse);
    QCOMPARE(r.thinking.type, ThinkingConfig::Type::Enabled);
    QCOMPARE(r.thinking.budgetTokens, 31999);
    QCOMPARE(r.effort, QString("high"));
    QCOMPARE(r.outputSchema.value("type").toString(), QString("object"));
    QVERIFY(!parseOk(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a"}]})").stream);
    QCOMPARE(
        parseOk(
            R"({"model":"m","max_tokens":5,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"a"}]})")
            .thinking.type,
        ThinkingConfig::Type::Adaptive);
}

void TestRequestParser::countTokensNeedsNoMaxTokens() {
    auto result = parse(fixture("v2.1.331-count-tokens.request.json"), false);
    QVERIFY(std::holds_alternative<MessageRequest>(result));
    QCOMPARE(std::get<MessageRequest>(result).maxTokens, 0);
}

void TestRequestParser::everyRecordedRequestParses() {
    const QDir dir(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code"));
    const QStringList files = dir.entryList({"*.request.json"});
    QVERIFY(files.size() >= 8);
    for (const QString &name : files) {
        auto result = parse(fixture(name), !name.contains("count-tokens"));
        if (auto *error = std::get_if<ApiError>(&result))
            QFAIL(qPrintable(name + ": " + error->message));
        const MessageRequest &r = std::get<MessageRequest>(result);
        QVERIFY2(!r.messages.empty(), qPrintable(name));
        for (const QString &part : r.system)
            QVERIFY2(!part.startsWith("x-anthropic-billing-header"), qPrintable(name));
    }
}

void TestRequestParser::recordedFirstTurn() {
    const MessageRequest old = parseOk(fixture("v2.1.197-first-turn.request.json"));
    QCOMPARE(old.tools.size(), std::size_t(24));
    const MessageRequest r = parseOk(fixture("v2.1.331-first-turn.request.json"));
    QCOMPARE(r.model, QString("claude-opus-5-5"));
    QCOMPARE(r.maxTokens, 128000);
    QVERIFY(r.stream);
    QCOMPARE(r.thinking.type, ThinkingConfig::Type::Adaptive);
    QCOMPARE(r.effort, QString("medium"));
    QCOMPARE(r.tools.size(), std::size_t(12));
    QVERIFY(r.system.join('\n').contains("# Environment")); // the inline system message
    QVERIFY(r.system.first().startsWith("You are a Claude agent"));
    QCOMPARE(r.messages.front().role, Message::Role::User);
}

void TestRequestParser::recordedParallelToolResults() {
    const MessageRequest r = parseOk(fixture("v2.1.331-thinking-parallel-tool-results.request.json"));
    const Message &assistant = r.messages[r.messages.size() - 2];
    QCOMPARE(assistant.role, Message::Role::Assistant);
    QCOMPARE(assistant.content[0].type, ContentBlock::Type::Thinking);
    QVERIFY(!assistant.content[0].signature.isEmpty());
    QCOMPARE(assistant.content[2].id, QString("toolu_42f5e1d678794b5999f7bb23"));
    QCOMPARE(assistant.content[3].id, QString("toolu_7b44a7cb5a9b467da65e6749"));
    const Message &results = r.messages.back();
    QCOMPARE(results.content.size(), std::size_t(2));
    QCOMPARE(results.content[0].toolUseId, QString("toolu_42f5e1d678794b5999f7bb23"));
    QCOMPARE(results.content[1].toolUseId, QString("toolu_7b44a7cb5a9b467da65e6749"));
    QCOMPARE(results.content[0].content[0].text, QString("1\thello from the capture test file\n2\t"));
}

// ToolSearch answers with tool_reference blocks; the loaded tools come with defer_loading (recorded
// from Claude Code 2.1.332).
void TestRequestParser::toolReferencesAndDeferredTools() {
    const MessageRequest r = parseOk(fixture("v2.1.332-toolsearch-result.request.json"));
    QStringList deferred;
    for (const ToolDefinition &tool : r.tools) {
        if (tool.deferred)
            deferred.append(tool.name);
    }
    QCOMPARE(r.tools.size(), std::size_t(14));
    QCOMPARE(deferred, QStringList({"DeferredToolPlaceholder"})); // CronList and WebFetch were loaded
    const ContentBlock &result = r.messages.back().content.front();
    QCOMPARE(result.type, ContentBlock::Type::ToolResult);
    QCOMPARE(result.content.size(), std::size_t(2));
    QCOMPARE(result.content[0].type, ContentBlock::Type::ToolReference);
    QCOMPARE(result.content[0].name, QString("CronList"));
    QCOMPARE(result.content[1].name, QString("WebFetch"));
    QVERIFY2(!r.notes.join('\n').contains("tool_reference"), qPrintable(r.notes.join('\n')));
}

// Ids a backend made (Kimi: "functions.Bash:0") come back from the client as the relay sent them;
// either way a tool_use and its tool_result keep matching.
void TestRequestParser::toolUseIdsMadeValid() {
    const MessageRequest r =
        parseOk(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"go"},
        {"role":"assistant","content":[{"type":"tool_use","id":"functions.Bash:0","name":"Bash","input":{}},
            {"type":"tool_use","id":"toolu_ok-1","name":"Bash","input":{}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"functions.Bash:0","content":"a"},
            {"type":"tool_result","tool_use_id":"toolu_ok-1","content":"b"}]}]})");
    const auto &calls = r.messages[1].content;
    const auto &results = r.messages[2].content;
    QCOMPARE(calls[0].id, QString("functions_Bash_0_a97d1507"));
    QCOMPARE(results[0].toolUseId, calls[0].id);
    QCOMPARE(calls[1].id, QString("toolu_ok-1"));
    QCOMPARE(results[1].toolUseId, QString("toolu_ok-1"));
}

QTEST_APPLESS_MAIN(TestRequestParser)
#include "tst_requestparser.moc"
