#include "ParsedRequest.h"
#include "anthropic/RequestParser.h"
#include "backends/ollama/OllamaRequestBuilder.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

Q_DECLARE_METATYPE(modelrelay::ThinkingSupport)

class TestOllamaRequestBuilder : public QObject {
    Q_OBJECT
private slots:
    void golden_data();
    void golden();
    void contextAndCaps();
    void requestLineAndHeaders();
    void recordedRequests_data();
    void recordedRequests();
    void recordedFirstTurn();
    void recordedParallelToolResults();
    void thinkFollowsTheEffort_data();
    void thinkFollowsTheEffort();
};

namespace {
const ModelTarget kTarget{"qwen2.5-coder:32b", 0, 0, "default"};
} // namespace

void TestOllamaRequestBuilder::golden_data() {
    QTest::addColumn<QByteArray>("anthropic");
    QTest::addColumn<QByteArray>("ollama");
    QTest::addColumn<QStringList>("notes");
    const QByteArray head = R"("model":"qwen2.5-coder:32b","stream":true)";

    QTest::newRow("system and text")
        << QByteArray(
               R"({"model":"claude","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]})")
        << "{" + head +
               R"(,"think":false,"options":{"num_ctx":32768,"num_predict":100},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]})"
        << QStringList{};
    QTest::newRow("images inline base64, url dropped")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"what?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},{"type":"image","source":{"type":"url","url":"https://x.test/a.png"}}]}]})")
        << "{" + head +
               R"(,"think":false,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"what?","images":["iVBOR"]}]})"
        << QStringList{"dropped an image given by URL (Ollama accepts only inline base64 images)"};
    QTest::newRow("tool calls and results by name")
        << QByteArray(R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"s"},{"type":"text","text":"Reading."},
                  {"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/a"}},{"type":"tool_use","id":"toolu_2","name":"Glob","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"A"},
                  {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":"bad glob"},{"type":"text","text":"next?"}]}]})")
        << "{" + head +
               R"(,"think":false,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":"Reading.","thinking":"plan","tool_calls":[{"id":"toolu_1","function":{"name":"Read","arguments":{"file_path":"/a"}}},
                  {"id":"toolu_2","function":{"name":"Glob","arguments":{}}}]},
              {"role":"tool","content":"A","tool_name":"Read","tool_call_id":"toolu_1"},{"role":"tool","content":"Error: bad glob","tool_name":"Glob","tool_call_id":"toolu_2"},
              {"role":"user","content":"next?"}]})"
        << QStringList{};
    // Claude Code returns parallel results in the order the tools finished; Ollama's templates pair
    // results with calls by position (and by name, which is the same for both here).
    QTest::newRow("parallel results of the same tool in call order, with ids")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"read a and b"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"Read","input":{"file_path":"/a"}},
                  {"type":"tool_use","id":"toolu_b","name":"Read","input":{"file_path":"/b"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_b","content":"B"},
                  {"type":"tool_result","tool_use_id":"toolu_a","content":"A"}]}]})")
        << "{" + head +
               R"(,"think":false,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"read a and b"},
              {"role":"assistant","content":"","tool_calls":[{"id":"toolu_a","function":{"name":"Read","arguments":{"file_path":"/a"}}},
                  {"id":"toolu_b","function":{"name":"Read","arguments":{"file_path":"/b"}}}]},
              {"role":"tool","content":"A","tool_name":"Read","tool_call_id":"toolu_a"},
              {"role":"tool","content":"B","tool_name":"Read","tool_call_id":"toolu_b"}]})"
        << QStringList{"tool results put in the order of their calls"};
    QTest::newRow("ToolSearch's tool references loaded as <functions>, deferred tools held back")
        << QByteArray(R"({"model":"claude","max_tokens":5,"tools":[
              {"name":"ToolSearch","input_schema":{"type":"object","properties":{"query":{"type":"string"}}}},
              {"name":"CronList","description":"Lists jobs","input_schema":{"type":"object","properties":{}},"defer_loading":true},
              {"name":"WebFetch","input_schema":{"type":"object","properties":{}},"defer_loading":true}],
              "messages":[{"role":"user","content":"jobs?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_s","name":"ToolSearch","input":{"query":"select:CronList"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_s","content":[{"type":"tool_reference","tool_name":"CronList"}]},
                  {"type":"text","text":"Tool loaded."}]}]})")
        << "{" + head +
               R"(,"think":false,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"jobs?"},
              {"role":"assistant","content":"","tool_calls":[{"id":"toolu_s","function":{"name":"ToolSearch","arguments":{"query":"select:CronList"}}}]},
              {"role":"tool","tool_name":"ToolSearch","tool_call_id":"toolu_s",
               "content":"<functions>\n<function>{\"description\":\"Lists jobs\",\"name\":\"CronList\",\"parameters\":{\"properties\":{},\"type\":\"object\"}}</function>\n</functions>"},
              {"role":"user","content":"Tool loaded."}],
              "tools":[{"type":"function","function":{"name":"ToolSearch","parameters":{"type":"object","properties":{"query":{"type":"string"}}}}},
                       {"type":"function","function":{"name":"CronList","description":"Lists jobs","parameters":{"type":"object","properties":{}}}}]})"
        << QStringList{"deferred tools not offered until ToolSearch loads them: WebFetch"};
    QTest::newRow("tools, options, thinking enabled, format")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"temperature":0.1,"top_p":0.8,"top_k":30,"stop_sequences":["END"],
              "thinking":{"type":"enabled","budget_tokens":1024},"output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},
              "tools":[{"name":"Read","description":"Reads","input_schema":{"type":"object","properties":{}}}],"messages":[{"role":"user","content":"x"}]})")
        << "{" + head +
               R"(,"options":{"num_ctx":32768,"num_predict":5,"temperature":0.1,"top_p":0.8,"top_k":30,"stop":["END"]},
              "messages":[{"role":"user","content":"x"}],"think":true,"format":{"type":"object"},
              "tools":[{"type":"function","function":{"name":"Read","description":"Reads","parameters":{"type":"object","properties":{}}}}]})"
        << QStringList{};
    // Without Ollama's word on the model (kTarget), "adaptive" leaves its default: see thinkFollowsTheEffort.
    QTest::newRow("adaptive thinking leaves the model's default")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"x"}]})")
        << "{" + head +
               R"(,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"x"}]})"
        << QStringList{};
    QTest::newRow("tool_choice none drops tools; any is noted")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"tool_choice":{"type":"none"},"tools":[{"name":"Read","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"x"}]})")
        << "{" + head +
               R"(,"think":false,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"x"}]})"
        << QStringList{};
}

void TestOllamaRequestBuilder::golden() {
    QFETCH(QByteArray, anthropic);
    QFETCH(QByteArray, ollama);
    QFETCH(QStringList, notes);
    const QJsonObject expected = object(ollama);
    QVERIFY2(!expected.isEmpty(), "expected JSON does not parse");
    QStringList actualNotes;
    const QJsonObject actual =
        OllamaRequestBuilder::buildBody(parsed(anthropic), kTarget, BackendProfile{}, &actualNotes);
    if (actual != expected)
        qWarning().noquote() << "actual:" << QJsonDocument(actual).toJson(QJsonDocument::Compact);
    QCOMPARE(actual, expected);
    QCOMPARE(actualNotes, notes);
}

void TestOllamaRequestBuilder::contextAndCaps() {
    const MessageRequest request =
        parsed(R"({"model":"claude","max_tokens":64000,"tool_choice":{"type":"any"},
        "tools":[{"name":"A","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"x"}]})");
    BackendProfile profile;
    profile.ollamaContextSize = 16384;
    profile.maxOutputTokens = 4096;
    QStringList notes;
    QJsonObject options =
        OllamaRequestBuilder::buildBody(request, kTarget, profile, &notes).value("options").toObject();
    QCOMPARE(options.value("num_ctx").toInt(), 16384);
    QCOMPARE(options.value("num_predict").toInt(), 4096);
    QVERIFY(notes.join(' ').contains("64000 capped to 4096"));
    QVERIFY(notes.join(' ').contains("tool_choice ignored"));
    options =
        OllamaRequestBuilder::buildBody(request, ModelTarget{"m", 2048, 65536, "rule"}, profile, nullptr)
            .value("options")
            .toObject();
    QCOMPARE(options.value("num_ctx").toInt(), 65536);
    QCOMPARE(options.value("num_predict").toInt(), 2048);
}

void TestOllamaRequestBuilder::requestLineAndHeaders() {
    const MessageRequest request =
        parsed(R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"x"}]})");
    BackendProfile profile;
    profile.baseUrl = QUrl("http://gpu-box:11434/");
    BackendRequest out = OllamaRequestBuilder::build(request, kTarget, profile, nullptr);
    QCOMPARE(out.url.toString(), QString("http://gpu-box:11434/api/chat"));
    QVERIFY(out.headers.isEmpty());
    profile.apiKey = "secret";
    out = OllamaRequestBuilder::build(request, kTarget, profile, nullptr);
    QVERIFY(out.headers.contains(qMakePair(QByteArray("Authorization"), QByteArray("Bearer secret"))));
}

namespace {
QByteArray fixture(const QString &name) {
    QFile file(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}
QJsonObject translatedFixture(const QString &name) {
    ParseOptions options;
    options.requireMaxTokens = !name.contains(QLatin1String("count-tokens"));
    auto result = RequestParser::parse(fixture(name), options);
    if (auto *error = std::get_if<ApiError>(&result))
        qFatal("%s does not parse: %s", qPrintable(name), qPrintable(error->message));
    return OllamaRequestBuilder::buildBody(std::get<MessageRequest>(result), kTarget, BackendProfile{},
                                           nullptr);
}
// Read straight from the Anthropic JSON, independently of the parser and builder: the tool name
// each tool_result answers, in conversation order.
QStringList answeredToolNames(const QJsonObject &anthropic) {
    QHash<QString, QString> names;
    QStringList answered;
    for (const QJsonValue &message : anthropic.value("messages").toArray()) {
        for (const QJsonValue &value : message.toObject().value("content").toArray()) {
            const QJsonObject block = value.toObject();
            if (block.value("type") == QLatin1String("tool_use"))
                names.insert(block.value("id").toString(), block.value("name").toString());
            else if (block.value("type") == QLatin1String("tool_result"))
                answered.append(names.value(block.value("tool_use_id").toString()));
        }
    }
    return answered;
}
// Read straight from the Anthropic JSON: tools without defer_loading, and deferred ones a
// tool_reference loaded.
int offeredToolCount(const QJsonObject &anthropic) {
    QSet<QString> loaded;
    for (const QJsonValue &message : anthropic.value("messages").toArray()) {
        for (const QJsonValue &block : message.toObject().value("content").toArray()) {
            for (const QJsonValue &inner : block.toObject().value("content").toArray()) {
                if (inner.toObject().value("type") == QLatin1String("tool_reference"))
                    loaded.insert(inner.toObject().value("tool_name").toString());
            }
        }
    }
    int count = 0;
    for (const QJsonValue &tool : anthropic.value("tools").toArray()) {
        if (!tool.toObject().value("defer_loading").toBool() ||
            loaded.contains(tool.toObject().value("name").toString()))
            ++count;
    }
    return count;
}
} // namespace

void TestOllamaRequestBuilder::recordedRequests_data() {
    QTest::addColumn<QString>("name");
    const QStringList names = QDir(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/"))
                                  .entryList({QStringLiteral("*.request.json")}, QDir::Files, QDir::Name);
    QCOMPARE(names.size(), 9);
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << name;
}

void TestOllamaRequestBuilder::recordedRequests() {
    QFETCH(QString, name);
    const QJsonObject anthropic = object(fixture(name));
    const QJsonObject body = translatedFixture(name);
    QCOMPARE(body.value("model").toString(), QString("qwen2.5-coder:32b"));
    QCOMPARE(body.value("stream").toBool(), true);
    QCOMPARE(body.value("options").toObject().value("num_ctx").toInt(), 32768);
    QCOMPARE(body.value("tools").toArray().size(), offeredToolCount(anthropic));

    const QJsonArray messages = body.value("messages").toArray();
    QVERIFY(!messages.isEmpty());
    // A system prompt, given at the top or inline in messages, becomes one leading system message.
    bool hasSystem = anthropic.contains("system");
    for (const QJsonValue &message : anthropic.value("messages").toArray())
        hasSystem = hasSystem || message.toObject().value("role") == QLatin1String("system");
    QCOMPARE(messages.at(0).toObject().value("role") == QLatin1String("system"), hasSystem);
    QStringList toolNames;
    for (qsizetype i = hasSystem ? 1 : 0; i < messages.size(); ++i) {
        const QJsonObject message = messages.at(i).toObject();
        QVERIFY2(message.value("role") != QLatin1String("system"), "system message after the first");
        if (message.value("role") == QLatin1String("tool"))
            toolNames.append(message.value("tool_name").toString());
    }
    QCOMPARE(toolNames, answeredToolNames(anthropic));
}

void TestOllamaRequestBuilder::recordedFirstTurn() {
    const QJsonObject first = translatedFixture(QStringLiteral("v2.1.197-first-turn.request.json"));
    QCOMPARE(first.value("tools").toArray().size(), 24);
    const QJsonArray messages = first.value("messages").toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value("role").toString(), QString("system"));
    QCOMPARE(messages.at(1).toObject().value("role").toString(), QString("user"));
    QVERIFY(!first.contains("think")); // Claude Code's adaptive thinking leaves Ollama's default
}

void TestOllamaRequestBuilder::recordedParallelToolResults() {
    const QJsonArray messages =
        translatedFixture(QStringLiteral("v2.1.331-thinking-parallel-tool-results.request.json"))
            .value("messages")
            .toArray();
    QCOMPARE(messages.size(), 5); // system, user, assistant, tool, tool
    const QJsonObject call =
        QJsonObject{{"name", "Read"}, {"arguments", QJsonObject{{"file_path", "<CWD>/hello.txt"}}}};
    const QJsonObject expectedAssistant{
        {"role", "assistant"},
        {"content", "I will read the file."},
        {"thinking", "Let me think about this briefly."},
        {"tool_calls",
         QJsonArray{QJsonObject{{"id", "toolu_42f5e1d678794b5999f7bb23"}, {"function", call}},
                    QJsonObject{{"id", "toolu_7b44a7cb5a9b467da65e6749"}, {"function", call}}}}};
    QCOMPARE(messages.at(2).toObject(), expectedAssistant);
    QJsonObject expectedTool{
        {"role", "tool"}, {"content", "1\thello from the capture test file\n2\t"}, {"tool_name", "Read"}};
    expectedTool.insert("tool_call_id", "toolu_42f5e1d678794b5999f7bb23");
    QCOMPARE(messages.at(3).toObject(), expectedTool);
    expectedTool.insert("tool_call_id", "toolu_7b44a7cb5a9b467da65e6749");
    QCOMPARE(messages.at(4).toObject(), expectedTool);
}

// `think` from the client's thinking and effort, as far as the model takes it (Ollama's
// capabilities); absent, Ollama would think for every answer of a thinking model.
void TestOllamaRequestBuilder::thinkFollowsTheEffort_data() {
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<ThinkingSupport>("support");
    QTest::addColumn<QJsonValue>("think"); // Undefined: no think field
    const QByteArray adaptiveHigh = R"("thinking":{"type":"adaptive"},"output_config":{"effort":"high"})";
    const QByteArray adaptiveMax = R"("thinking":{"type":"adaptive"},"output_config":{"effort":"max"})";
    const QByteArray adaptive = R"("thinking":{"type":"adaptive"})";
    const QByteArray budget = R"("thinking":{"type":"enabled","budget_tokens":10000})";
    const QByteArray disabled = R"("thinking":{"type":"disabled"},"output_config":{"effort":"high"})";
    const QByteArray none = R"("output_config":{"effort":"medium"})";
    const QJsonValue absent(QJsonValue::Undefined);
    using S = ThinkingSupport;
    QTest::newRow("levels: effort high") << adaptiveHigh << S::Levels << QJsonValue("high");
    QTest::newRow("levels: effort max is high") << adaptiveMax << S::Levels << QJsonValue("high");
    QTest::newRow("levels: no effort is medium") << adaptive << S::Levels << QJsonValue("medium");
    QTest::newRow("levels: budget 10000 is medium") << budget << S::Levels << QJsonValue("medium");
    QTest::newRow("on/off: effort high is on") << adaptiveHigh << S::OnOff << QJsonValue(true);
    QTest::newRow("no thinking model: nothing asked") << adaptiveHigh << S::None << absent;
    QTest::newRow("unknown: adaptive leaves the default") << adaptiveHigh << S::Unknown << absent;
    QTest::newRow("unknown: enabled asks") << budget << S::Unknown << QJsonValue(true);
    QTest::newRow("disabled is false, whatever the effort") << disabled << S::Levels << QJsonValue(false);
    QTest::newRow("disabled is false for any model") << disabled << S::Unknown << QJsonValue(false);
    QTest::newRow("no thinking field is false") << none << S::OnOff << QJsonValue(false);
}

void TestOllamaRequestBuilder::thinkFollowsTheEffort() {
    QFETCH(QByteArray, fields);
    QFETCH(ThinkingSupport, support);
    QFETCH(QJsonValue, think);
    const MessageRequest request = parsed(R"({"model":"claude","max_tokens":5,)" + fields +
                                          R"(,"messages":[{"role":"user","content":"x"}]})");
    ModelTarget target = kTarget;
    target.thinking = support;
    QStringList notes;
    const QJsonObject body = OllamaRequestBuilder::buildBody(request, target, BackendProfile{}, &notes);
    QCOMPARE(body.value("think"), think);
    if (support == ThinkingSupport::None)
        QVERIFY(notes.join(' ').contains("does not think"));
    BackendProfile off;
    off.reasoningEffort = false; // for servers that refuse the field: nothing is sent
    QVERIFY(!OllamaRequestBuilder::buildBody(request, target, off, nullptr).contains("think"));
}

QTEST_APPLESS_MAIN(TestOllamaRequestBuilder)
#include "tst_ollamarequestbuilder.moc"
