#include "ParsedRequest.h"
#include "anthropic/RequestParser.h"
#include "backends/ollama/OllamaRequestBuilder.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

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
               R"(,"options":{"num_ctx":32768,"num_predict":100},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]})"
        << QStringList{};
    QTest::newRow("images inline base64, url dropped")
        << QByteArray(
               R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"what?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},{"type":"image","source":{"type":"url","url":"https://x.test/a.png"}}]}]})")
        << "{" + head +
               R"(,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"what?","images":["iVBOR"]}]})"
        << QStringList{"dropped an image given by URL (Ollama accepts only inline base64 images)"};
    QTest::newRow("tool calls and results by name")
        << QByteArray(R"({"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"s"},{"type":"text","text":"Reading."},
                  {"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/a"}},{"type":"tool_use","id":"toolu_2","name":"Glob","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"A"},
                  {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":"bad glob"},{"type":"text","text":"next?"}]}]})")
        << "{" + head +
               R"(,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"go"},
              {"role":"assistant","content":"Reading.","thinking":"plan","tool_calls":[{"function":{"name":"Read","arguments":{"file_path":"/a"}}},
                  {"function":{"name":"Glob","arguments":{}}}]},
              {"role":"tool","content":"A","tool_name":"Read"},{"role":"tool","content":"Error: bad glob","tool_name":"Glob"},
              {"role":"user","content":"next?"}]})"
        << QStringList{};
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
               R"(,"options":{"num_ctx":32768,"num_predict":5},"messages":[{"role":"user","content":"x"}]})"
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
} // namespace

void TestOllamaRequestBuilder::recordedRequests_data() {
    QTest::addColumn<QString>("name");
    const QStringList names = QDir(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/"))
                                  .entryList({QStringLiteral("*.request.json")}, QDir::Files, QDir::Name);
    QCOMPARE(names.size(), 8);
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
    QCOMPARE(body.value("tools").toArray().size(), anthropic.value("tools").toArray().size());

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
        {"tool_calls", QJsonArray{QJsonObject{{"function", call}}, QJsonObject{{"function", call}}}}};
    QCOMPARE(messages.at(2).toObject(), expectedAssistant);
    const QJsonObject expectedTool{
        {"role", "tool"}, {"content", "1\thello from the capture test file\n2\t"}, {"tool_name", "Read"}};
    QCOMPARE(messages.at(3).toObject(), expectedTool);
    QCOMPARE(messages.at(4).toObject(), expectedTool);
}

QTEST_APPLESS_MAIN(TestOllamaRequestBuilder)
#include "tst_ollamarequestbuilder.moc"
