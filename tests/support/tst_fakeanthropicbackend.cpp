// FakeBackend's Anthropic kind over real sockets: the exact /v1/messages SSE framing (event: and
// data: lines that agree, a ping, block indices), thinking with a signature, tool calls, tool
// results, whole messages, errors in Anthropic's shape and the model list.
#include "FakeBackend.h"
#include "RawHttpExchange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace modelrelay::testing;

class TestFakeAnthropicBackend : public QObject {
    Q_OBJECT
private slots:
    void streamsTextInTheExactEventFraming();
    void streamsThinkingAndToolCalls();
    void answersToolResultsAndWholeMessages();
    void errorsAndUrls();
};

namespace {

struct Event {
    QByteArray name;
    QJsonObject data;
};

struct Answer {
    int status = 0;
    QByteArray contentType;
    QByteArray body;
};

Answer exchange(FakeBackend &backend, const QByteArray &method, const QByteArray &path,
                const QJsonObject &body) {
    RawHttpExchange http(backend.port(), method, path,
                         body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
                         {{"anthropic-version", "2023-06-01"}});
    http.start();
    if (!QTest::qWaitFor([&] { return http.isDone(); }, 5000))
        qFatal("the fake backend did not answer");
    return {http.status(), http.header("content-type"), http.body()};
}

// Fails the test (returns nothing) unless every event is "event: X\ndata: {"type":"X",...}\n\n".
QList<Event> events(const QByteArray &body) {
    QList<Event> out;
    const QList<QByteArray> frames = body.split('\n');
    for (qsizetype i = 0; i + 2 < frames.size(); i += 3) {
        if (!frames[i].startsWith("event: ") || !frames[i + 1].startsWith("data: ") ||
            !frames[i + 2].isEmpty())
            return {};
        Event e{frames[i].mid(7), QJsonDocument::fromJson(frames[i + 1].mid(6)).object()};
        if (e.data.value("type").toString().toUtf8() != e.name)
            return {};
        out.append(e);
    }
    return out;
}

QJsonObject request(const QString &userText, bool stream = true, bool tools = false) {
    QJsonObject r{{"model", "qwen3:8b"},
                  {"max_tokens", 100},
                  {"stream", stream},
                  {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", userText}}}}};
    if (tools)
        r.insert("tools", QJsonArray{QJsonObject{{"name", "Read"},
                                                 {"description", "Reads a file"},
                                                 {"input_schema", QJsonObject{{"type", "object"}}}}});
    return r;
}

QByteArrayList names(const QList<Event> &list) {
    QByteArrayList out;
    for (const Event &e : list)
        out.append(e.name);
    return out;
}

} // namespace

void TestFakeAnthropicBackend::streamsTextInTheExactEventFraming() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    QCOMPARE(backend.baseUrl(), QString("http://127.0.0.1:%1").arg(backend.port()));
    const Answer a = exchange(backend, "POST", "/v1/messages", request("Hi"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.contentType, QByteArray("text/event-stream"));
    const QList<Event> list = events(a.body);
    QVERIFY2(!list.isEmpty(), a.body.constData());
    QCOMPARE(names(list),
             QByteArrayList({"message_start", "ping", "content_block_start", "content_block_delta",
                             "content_block_delta", "content_block_delta", "content_block_delta",
                             "content_block_stop", "message_delta", "message_stop"}));
    const QJsonObject message = list.first().data.value("message").toObject();
    QCOMPARE(message.value("model").toString(), QString("qwen3:8b"));
    QCOMPARE(message.value("usage").toObject().value("input_tokens").toInt(), 12);
    QString text;
    for (const Event &e : list)
        text += e.data.value("delta").toObject().value("text").toString();
    QCOMPARE(text, QString("Hello from the fake anthropic backend."));
    const QJsonObject end = list.at(list.size() - 2).data;
    QCOMPARE(end.value("delta").toObject().value("stop_reason").toString(), QString("end_turn"));
    QCOMPARE(end.value("usage").toObject().value("output_tokens").toInt(), 7);
    QCOMPARE(backend.requests().first().headers.value("anthropic-version"), QByteArray("2023-06-01"));
}

void TestFakeAnthropicBackend::streamsThinkingAndToolCalls() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    FakeBackend::Reply scripted;
    scripted.reasoning = {"Let me ", "look."};
    scripted.text = {"Reading."};
    scripted.toolCalls = {{"toolu_1", "Read", R"({"file_path":"/tmp/a"})", 3}};
    backend.enqueue(scripted);
    const QList<Event> list =
        events(exchange(backend, "POST", "/v1/messages", request("go", true, true)).body);
    QVERIFY(!list.isEmpty());
    QString thinking, signature, toolJson;
    QJsonArray blockTypes;
    for (const Event &e : list) {
        const QJsonObject delta = e.data.value("delta").toObject();
        thinking += delta.value("thinking").toString();
        signature += delta.value("signature").toString();
        toolJson += delta.value("partial_json").toString();
        if (e.name == "content_block_start") {
            QCOMPARE(e.data.value("index").toInt(), int(blockTypes.size()));
            blockTypes.append(e.data.value("content_block").toObject().value("type"));
        }
    }
    QCOMPARE(blockTypes, QJsonArray({"thinking", "text", "tool_use"}));
    QCOMPARE(thinking, QString("Let me look."));
    QVERIFY(!signature.isEmpty());
    QCOMPARE(toolJson, QString(R"({"file_path":"/tmp/a"})"));
    QCOMPARE(list.at(list.size() - 2).data.value("delta").toObject().value("stop_reason").toString(),
             QString("tool_use"));

    // Unscripted: "[[tool]]" with tools offered calls the first one (Anthropic's tool shape).
    const QList<Event> called =
        events(exchange(backend, "POST", "/v1/messages", request("[[tool]]", true, true)).body);
    QString name;
    for (const Event &e : called)
        if (e.name == "content_block_start" &&
            e.data.value("content_block").toObject().value("type").toString() == "tool_use")
            name = e.data.value("content_block").toObject().value("name").toString();
    QCOMPARE(name, QString("Read"));
}

void TestFakeAnthropicBackend::answersToolResultsAndWholeMessages() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    QJsonObject afterTool = request("", false, true);
    afterTool.insert("messages",
                     QJsonArray{QJsonObject{{"role", "user"}, {"content", "[[tool]]"}},
                                QJsonObject{{"role", "assistant"},
                                            {"content", QJsonArray{QJsonObject{{"type", "tool_use"},
                                                                               {"id", "toolu_1"},
                                                                               {"name", "Read"},
                                                                               {"input", QJsonObject{}}}}}},
                                QJsonObject{{"role", "user"},
                                            {"content", QJsonArray{QJsonObject{{"type", "tool_result"},
                                                                               {"tool_use_id", "toolu_1"},
                                                                               {"content", "hello"}}}}}});
    const Answer a = exchange(backend, "POST", "/v1/messages", afterTool);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.contentType, QByteArray("application/json"));
    const QJsonObject message = QJsonDocument::fromJson(a.body).object();
    QCOMPARE(message.value("type").toString(), QString("message"));
    QCOMPARE(message.value("content").toArray().at(0).toObject().value("text").toString(),
             QString("The file says hello."));
    QCOMPARE(message.value("stop_reason").toString(), QString("end_turn"));
}

void TestFakeAnthropicBackend::errorsAndUrls() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    const Answer failed = exchange(backend, "POST", "/v1/messages", request("x [[error 500]]"));
    QCOMPARE(failed.status, 500);
    const QJsonObject error = QJsonDocument::fromJson(failed.body).object();
    QCOMPARE(error.value("type").toString(), QString("error"));
    QCOMPARE(error.value("error").toObject().value("type").toString(), QString("api_error"));

    const Answer models = exchange(backend, "GET", "/v1/models", {});
    QCOMPARE(models.status, 200);
    QCOMPARE(QJsonDocument::fromJson(models.body)
                 .object()
                 .value("data")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("id")
                 .toString(),
             QString("fake-model"));
    QCOMPARE(exchange(backend, "POST", "/v1/chat/completions", request("Hi")).status, 404);
    QCOMPARE(exchange(backend, "POST", "/api/chat", request("Hi")).status, 404);
}

QTEST_GUILESS_MAIN(TestFakeAnthropicBackend)
#include "tst_fakeanthropicbackend.moc"
