// Tool calls through a real socket: a FakeBackend (OpenAI SSE or Ollama NDJSON) answers with a
// tool call whose arguments are valid, broken but repairable, or unrepairable; the client's
// stream must stay well-formed and carry a tool_use only when its input is a JSON object.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "SseStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <memory>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

QByteArray requestBody(bool stream) {
    const QJsonObject bash{
        {"name", "Bash"},
        {"description", "Runs a shell command"},
        {"input_schema",
         QJsonObject{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                     {"type", "object"},
                     {"properties", QJsonObject{{"command", QJsonObject{{"type", "string"}}}}},
                     {"required", QJsonArray{"command"}},
                     {"additionalProperties", false}}}};
    return QJsonDocument(QJsonObject{{"model", "claude-sonnet-4-5"},
                                     {"max_tokens", 4096},
                                     {"stream", stream},
                                     {"tools", QJsonArray{bash}},
                                     {"messages", QJsonArray{QJsonObject{{"role", "user"},
                                                                         {"content", "List the files."}}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestToolCalls : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void streamedToolCall_data();
    void streamedToolCall();
    void unstreamedToolCall_data();
    void unstreamedToolCall();

private:
    std::unique_ptr<ProxyUnderTest> m_proxy;
};

void TestToolCalls::init() {
    m_proxy = std::make_unique<ProxyUnderTest>();
}

void TestToolCalls::cleanup() {
    m_proxy.reset();
}

namespace {

void addRows() {
    QTest::addColumn<int>("kind"); // FakeBackend::Kind
    QTest::addColumn<QByteArray>("arguments");
    QTest::addColumn<int>("fragments");
    QTest::addColumn<QJsonObject>("expectedInput"); // empty: an error is expected
    QTest::addColumn<QString>("error");             // a part of the error message
    const QJsonObject ls{{"command", "ls -la"}};
    for (const auto kind : {FakeBackend::Kind::OpenAI, FakeBackend::Kind::Ollama}) {
        const QByteArray k = kind == FakeBackend::Kind::OpenAI ? "openai" : "ollama";
        QTest::newRow(k + ", valid") << int(kind) << QByteArray(R"({"command": "ls -la"})") << 4 << ls << "";
        QTest::newRow(k + ", trailing comma, cut off")
            << int(kind) << QByteArray(R"({"command": "ls -la",)") << 5 << ls << "";
        QTest::newRow(k + ", fenced")
            << int(kind) << QByteArray("```json\n{\"command\": \"ls -la\"}\n```") << 7 << ls << "";
        QTest::newRow(k + ", cut inside a string") << int(kind) << QByteArray(R"({"command": "ls -l)") << 3
                                                   << QJsonObject() << "cut off inside a string";
        QTest::newRow(k + ", prose") << int(kind) << QByteArray("I would run ls -la") << 2 << QJsonObject()
                                     << "not JSON";
    }
}

} // namespace

void TestToolCalls::streamedToolCall_data() {
    addRows();
}

void TestToolCalls::streamedToolCall() {
    QFETCH(int, kind);
    QFETCH(QByteArray, arguments);
    QFETCH(int, fragments);
    QFETCH(QJsonObject, expectedInput);
    QFETCH(QString, error);

    FakeBackend backend{FakeBackend::Kind(kind)};
    QVERIFY(backend.listen());
    QVERIFY(m_proxy->start(backend));
    FakeBackend::Reply reply;
    reply.text = {"I'll list ", "the files."};
    reply.toolCalls = {{"call_ls1", "Bash", arguments, fragments}};
    backend.enqueue(reply);

    const auto exchange = m_proxy->post(requestBody(true));
    QCOMPARE(exchange->status(), 200);
    QVERIFY(exchange->header("content-type").startsWith("text/event-stream"));
    const QList<SseEvent> events = parseSse(exchange->body());
    const QString problem = streamProblem(events);
    QVERIFY2(problem.isEmpty(), qPrintable(problem + "\n" + QString::fromUtf8(exchange->body())));
    QCOMPARE(streamText(events), QString("I'll list the files."));

    QString inputJson;
    int toolBlocks = 0;
    QString stopReason;
    for (const SseEvent &e : events) {
        if (e.name == "content_block_start" &&
            e.data.value("content_block").toObject().value("type").toString() == "tool_use") {
            ++toolBlocks;
            QCOMPARE(e.data.value("content_block").toObject().value("name").toString(), QString("Bash"));
            if (kind == int(FakeBackend::Kind::OpenAI))
                QCOMPARE(e.data.value("content_block").toObject().value("id").toString(),
                         QString("call_ls1"));
        }
        const QJsonObject delta = e.data.value("delta").toObject();
        if (delta.value("type").toString() == "input_json_delta")
            inputJson += delta.value("partial_json").toString();
        if (e.name == "message_delta")
            stopReason = delta.value("stop_reason").toString();
    }

    QTRY_COMPARE(m_proxy->records().size(), 1);
    const auto record = m_proxy->records().first();
    if (!expectedInput.isEmpty()) {
        QCOMPARE(toolBlocks, 1);
        const QJsonDocument input = QJsonDocument::fromJson(inputJson.toUtf8());
        QVERIFY2(input.isObject(), qPrintable(inputJson));
        QCOMPARE(input.object(), expectedInput);
        QCOMPARE(stopReason, QString("tool_use"));
        QCOMPARE(events.last().name, QString("message_stop"));
        QVERIFY2(record.error.isEmpty(), qPrintable(record.error));
        QCOMPARE(record.stopReason, QString("tool_use"));
        // A repair is written down in the request log; valid arguments leave no note.
        const QString notes = record.notes.join('\n');
        const bool repaired = notes.contains("repaired tool call arguments: tool 'Bash': ");
        QVERIFY2(repaired == !QJsonDocument::fromJson(arguments).isObject(), qPrintable(notes));
    } else {
        QCOMPARE(toolBlocks, 0);
        QVERIFY(inputJson.isEmpty());
        QVERIFY(stopReason.isEmpty()); // no message_delta at all
        QCOMPARE(events.last().name, QString("error"));
        const QString message = events.last().data.value("error").toObject().value("message").toString();
        QVERIFY2(message.contains("'fake-model'"), qPrintable(message));
        QVERIFY2(message.contains("tool 'Bash'"), qPrintable(message));
        QVERIFY2(message.contains(error), qPrintable(message));
        // The relay's own finding, said as such: the backend reported nothing wrong.
        QVERIFY2(message.startsWith("ModelRelay could not relay the answer of model 'fake-model'"),
                 qPrintable(message));
        QVERIFY2(!message.contains("reported an error"), qPrintable(message));
        QVERIFY2(record.error.contains("tool 'Bash'"), qPrintable(record.error));
    }
}

void TestToolCalls::unstreamedToolCall_data() {
    addRows();
}

void TestToolCalls::unstreamedToolCall() {
    QFETCH(int, kind);
    QFETCH(QByteArray, arguments);
    QFETCH(int, fragments);
    QFETCH(QJsonObject, expectedInput);
    QFETCH(QString, error);

    FakeBackend backend{FakeBackend::Kind(kind)};
    QVERIFY(backend.listen());
    QVERIFY(m_proxy->start(backend));
    FakeBackend::Reply reply;
    reply.text = {"Listing."};
    reply.toolCalls = {{"call_ls1", "Bash", arguments, fragments}};
    backend.enqueue(reply);

    const auto exchange = m_proxy->post(requestBody(false));
    const QJsonObject body = QJsonDocument::fromJson(exchange->body()).object();
    if (!expectedInput.isEmpty()) {
        QCOMPARE(exchange->status(), 200);
        const QJsonArray content = body.value("content").toArray();
        QCOMPARE(content.size(), 2);
        QCOMPARE(content.at(0).toObject().value("text").toString(), QString("Listing."));
        const QJsonObject tool = content.at(1).toObject();
        QCOMPARE(tool.value("type").toString(), QString("tool_use"));
        QCOMPARE(tool.value("name").toString(), QString("Bash"));
        QCOMPARE(tool.value("input").toObject(), expectedInput);
        QCOMPARE(body.value("stop_reason").toString(), QString("tool_use"));
    } else {
        QVERIFY2(exchange->status() >= 500, exchange->body().constData());
        QCOMPARE(body.value("type").toString(), QString("error"));
        const QString message = body.value("error").toObject().value("message").toString();
        QVERIFY2(message.contains("tool 'Bash'"), qPrintable(message));
        QVERIFY2(message.contains(error), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TestToolCalls)
#include "tst_toolcalls.moc"
