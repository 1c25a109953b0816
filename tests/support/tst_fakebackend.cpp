// FakeBackend over a raw socket: exact OpenAI SSE / Ollama NDJSON framing, default answers,
// scripted replies, keep-alive with pipelined and partial requests, cuts, stalls and delays.
#include "FakeBackend.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

using modelrelay::testing::FakeBackend;

namespace {

struct HttpResponse {
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;                       // de-chunked
};

// Parses as many complete responses as `bytes` holds (Content-Length or chunked bodies).
QList<HttpResponse> parseResponses(QByteArray bytes) {
    QList<HttpResponse> responses;
    for (;;) {
        const qsizetype headerEnd = bytes.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return responses;
        HttpResponse r;
        const QList<QByteArray> lines = bytes.left(headerEnd).split('\n');
        r.status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            r.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        qsizetype pos = headerEnd + 4;
        if (r.headers.value("transfer-encoding") == "chunked") {
            for (;;) {
                const qsizetype lineEnd = bytes.indexOf("\r\n", pos);
                if (lineEnd < 0)
                    return responses;
                bool ok = false;
                const qsizetype size = bytes.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
                if (!ok || bytes.size() < lineEnd + 2 + size + 2)
                    return responses;
                r.body += bytes.mid(lineEnd + 2, size);
                pos = lineEnd + 2 + size + 2;
                if (size == 0)
                    break;
            }
        } else {
            const qsizetype length = r.headers.value("content-length").toLongLong();
            if (bytes.size() < pos + length)
                return responses;
            r.body = bytes.mid(pos, length);
            pos += length;
        }
        responses.append(r);
        bytes.remove(0, pos);
    }
}

QByteArray post(const QByteArray &path, const QJsonObject &body) {
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
           "Authorization: Bearer sk-test\r\nContent-Length: " + QByteArray::number(json.size()) +
           "\r\n\r\n" + json;
}

QByteArray chatPath(FakeBackend::Kind kind) {
    return kind == FakeBackend::Kind::OpenAI ? "/v1/chat/completions" : "/api/chat";
}

// The JSON payloads of an SSE body ("data: {...}\n\n"), plus whether it ended with [DONE].
QList<QJsonObject> sseData(const QByteArray &body, bool *sawDone = nullptr) {
    QList<QJsonObject> out;
    if (sawDone)
        *sawDone = false;
    for (const QByteArray &frame : body.split('\n')) {
        if (frame.isEmpty())
            continue;
        if (frame == "data: [DONE]") {
            if (sawDone)
                *sawDone = true;
            continue;
        }
        out.append(QJsonDocument::fromJson(frame.mid(6)).object());
    }
    return out;
}

QList<QJsonObject> ndjson(const QByteArray &body) {
    QList<QJsonObject> out;
    for (const QByteArray &line : body.split('\n'))
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    return out;
}

class RawClient {
public:
    explicit RawClient(quint16 port) {
        QObject::connect(&socket, &QTcpSocket::readyRead, [this] { received += socket.readAll(); });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }
    void send(const QByteArray &bytes) { socket.write(bytes); }
    bool waitForResponses(int count, int timeoutMs = 5000) {
        return QTest::qWaitFor([&] { return parseResponses(received).size() >= count; }, timeoutMs);
    }
    QList<HttpResponse> responses() const { return parseResponses(received); }
    HttpResponse exchange(const QByteArray &request) {
        const qsizetype before = parseResponses(received).size();
        send(request);
        if (!waitForResponses(int(before) + 1))
            return {};
        return parseResponses(received).last();
    }

    QTcpSocket socket;
    QByteArray received;
};

QJsonObject userTurn(const QString &text) {
    return QJsonObject{{"role", "user"}, {"content", text}};
}

const QJsonArray kReadTool{QJsonObject{
    {"type", "function"},
    {"function", QJsonObject{{"name", "Read"}, {"parameters", QJsonObject{{"type", "object"}}}}}}};

} // namespace

class TestFakeBackend : public QObject {
    Q_OBJECT
private slots:
    void openAiStreamIsExactSse();
    void openAiUsageOnlyWhenAsked();
    void openAiToolCallArgumentsArriveInFragments();
    void openAiWithoutStreamAnswersOneJson();
    void ollamaStreamIsNdjsonWithFinalCounts();
    void defaultAnswers_data();
    void defaultAnswers();
    void scriptedErrorIsSentAsIs();
    void modelListsAndWrongUrls_data();
    void modelListsAndWrongUrls();
    void recordsPartialAndPipelinedRequestsInOrder();
    void cutAfterChunksClosesTheConnection();
    void clientClosingAStalledAnswerIsCounted();
    void firstByteDelayIsHonoured();
    void defaultAnswerOfNWords();
};

void TestFakeBackend::openAiStreamIsExactSse() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    QCOMPARE(backend.baseUrl(), QStringLiteral("http://127.0.0.1:%1/v1").arg(backend.port()));
    RawClient client(backend.port());
    const HttpResponse r = client.exchange(
        post("/v1/chat/completions", QJsonObject{{"model", "m1"},
                                                 {"stream", true},
                                                 {"stream_options", QJsonObject{{"include_usage", true}}},
                                                 {"messages", QJsonArray{userTurn("Say hello")}}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("content-type"), QByteArray("text/event-stream"));
    QVERIFY(r.body.startsWith("data: {"));
    QVERIFY(r.body.endsWith("\n\ndata: [DONE]\n\n"));
    bool done = false;
    const QList<QJsonObject> chunks = sseData(r.body, &done);
    QVERIFY(done);
    // role chunk, 4 text pieces, finish chunk, usage chunk
    QCOMPARE(chunks.size(), 7);
    QString text;
    for (const QJsonObject &c : chunks) {
        QCOMPARE(c.value("object").toString(), QString("chat.completion.chunk"));
        QCOMPARE(c.value("model").toString(), QString("m1"));
        QVERIFY(c.value("id").toString().startsWith("chatcmpl-"));
        QVERIFY(c.value("created").toInteger() > 0);
        const QJsonArray choices = c.value("choices").toArray();
        if (!choices.isEmpty())
            text += choices[0].toObject().value("delta").toObject().value("content").toString();
    }
    QCOMPARE(text, QString("Hello from the fake openai backend."));
    const QJsonObject finish = chunks[5].value("choices").toArray()[0].toObject();
    QCOMPARE(finish.value("finish_reason").toString(), QString("stop"));
    QCOMPARE(chunks[4].value("choices").toArray()[0].toObject().value("finish_reason"), QJsonValue());
    QCOMPARE(chunks[6].value("choices").toArray().size(), 0);
    QCOMPARE(chunks[6].value("usage").toObject().value("prompt_tokens").toInt(), 12);
    QCOMPARE(chunks[6].value("usage").toObject().value("completion_tokens").toInt(), 7);
    QCOMPARE(chunks[6].value("usage").toObject().value("total_tokens").toInt(), 19);
}

void TestFakeBackend::openAiUsageOnlyWhenAsked() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    RawClient client(backend.port());
    const HttpResponse r = client.exchange(
        post("/v1/chat/completions",
             QJsonObject{{"model", "m1"}, {"stream", true}, {"messages", QJsonArray{userTurn("hi")}}}));
    const QList<QJsonObject> chunks = sseData(r.body);
    QCOMPARE(chunks.size(), 6);
    for (const QJsonObject &c : chunks)
        QVERIFY(!c.contains("usage"));
}

void TestFakeBackend::openAiToolCallArgumentsArriveInFragments() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.reasoning = {"Thinking", " hard"};
    reply.toolCalls = {{"call_A", "Read", R"({"file_path":"/etc/hosts","limit":10})", 4}};
    reply.completionTokens = 33;
    backend.enqueue(reply);
    RawClient client(backend.port());
    const HttpResponse r = client.exchange(
        post("/v1/chat/completions", QJsonObject{{"model", "m"},
                                                 {"stream", true},
                                                 {"stream_options", QJsonObject{{"include_usage", true}}},
                                                 {"messages", QJsonArray{userTurn("read")}}}));
    const QList<QJsonObject> chunks = sseData(r.body);
    QString reasoning;
    QString arguments;
    int argumentFragments = 0;
    QString id;
    QString name;
    QString finish;
    for (const QJsonObject &c : chunks) {
        const QJsonObject choice = c.value("choices").toArray().at(0).toObject();
        const QJsonObject delta = choice.value("delta").toObject();
        reasoning += delta.value("reasoning_content").toString();
        const QJsonObject call = delta.value("tool_calls").toArray().at(0).toObject();
        if (call.contains("id")) {
            id = call.value("id").toString();
            name = call.value("function").toObject().value("name").toString();
            QCOMPARE(call.value("type").toString(), QString("function"));
            QCOMPARE(call.value("index").toInt(), 0);
        } else if (!call.isEmpty()) {
            arguments += call.value("function").toObject().value("arguments").toString();
            ++argumentFragments;
        }
        if (choice.value("finish_reason").isString())
            finish = choice.value("finish_reason").toString();
    }
    QCOMPARE(reasoning, QString("Thinking hard"));
    QCOMPARE(id, QString("call_A"));
    QCOMPARE(name, QString("Read"));
    QCOMPARE(arguments, QString(R"({"file_path":"/etc/hosts","limit":10})"));
    QCOMPARE(argumentFragments, 4);
    QCOMPARE(finish, QString("tool_calls"));
    QCOMPARE(chunks.last().value("usage").toObject().value("completion_tokens").toInt(), 33);
}

void TestFakeBackend::openAiWithoutStreamAnswersOneJson() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    RawClient client(backend.port());
    const HttpResponse r = client.exchange(
        post("/v1/chat/completions",
             QJsonObject{{"model", "m2"}, {"stream", false}, {"messages", QJsonArray{userTurn("hi")}}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(o.value("object").toString(), QString("chat.completion"));
    QCOMPARE(o.value("model").toString(), QString("m2"));
    const QJsonObject choice = o.value("choices").toArray().at(0).toObject();
    QCOMPARE(choice.value("message").toObject().value("content").toString(),
             QString("Hello from the fake openai backend."));
    QCOMPARE(choice.value("finish_reason").toString(), QString("stop"));
    QCOMPARE(o.value("usage").toObject().value("prompt_tokens").toInt(), 12);
}

void TestFakeBackend::ollamaStreamIsNdjsonWithFinalCounts() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    QCOMPARE(backend.baseUrl(), QStringLiteral("http://127.0.0.1:%1").arg(backend.port()));
    RawClient client(backend.port());
    // Ollama streams unless told otherwise.
    const HttpResponse r = client.exchange(
        post("/api/chat", QJsonObject{{"model", "qwen"}, {"messages", QJsonArray{userTurn("hi")}}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("content-type"), QByteArray("application/x-ndjson"));
    QVERIFY(r.body.endsWith("}\n"));
    const QList<QJsonObject> lines = ndjson(r.body);
    QCOMPARE(lines.size(), 5);
    QString text;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QCOMPARE(lines[i].value("model").toString(), QString("qwen"));
        QVERIFY(lines[i].value("created_at").toString().endsWith("Z"));
        QCOMPARE(lines[i].value("message").toObject().value("role").toString(), QString("assistant"));
        QCOMPARE(lines[i].value("done").toBool(), i == lines.size() - 1);
        text += lines[i].value("message").toObject().value("content").toString();
    }
    QCOMPARE(text, QString("Hello from the fake ollama backend."));
    const QJsonObject last = lines.last();
    QCOMPARE(last.value("done_reason").toString(), QString("stop"));
    QCOMPARE(last.value("prompt_eval_count").toInt(), 12);
    QCOMPARE(last.value("eval_count").toInt(), 7);
    QVERIFY(last.value("total_duration").toInteger() > 0);
    QVERIFY(last.value("eval_duration").toInteger() > 0);
}

void TestFakeBackend::defaultAnswers_data() {
    QTest::addColumn<bool>("ollama");
    QTest::addColumn<QJsonArray>("messages");
    QTest::addColumn<bool>("withTools");
    QTest::addColumn<QString>("expectedText");
    QTest::addColumn<QString>("expectedToolCall"); // name + arguments, "" for none

    const QJsonArray plain{userTurn("hello")};
    const QJsonArray askTool{userTurn("please read it [[tool]]")};
    const QJsonArray afterTool{
        userTurn("read [[tool]]"), QJsonObject{{"role", "assistant"}, {"content", ""}},
        QJsonObject{{"role", "tool"}, {"tool_call_id", "call_fake_1"}, {"content", "hello"}}};
    const QJsonArray partsWithMarker{
        QJsonObject{{"role", "user"},
                    {"content", QJsonArray{QJsonObject{{"type", "text"}, {"text", "go "}},
                                           QJsonObject{{"type", "text"}, {"text", "[[tool]]"}}}}}};
    const QString read = R"(Read {"file_path":"/tmp/hello.txt"})";

    for (const bool ollama : {false, true}) {
        const QString greeting =
            QStringLiteral("Hello from the fake %1 backend.").arg(ollama ? "ollama" : "openai");
        const char *k = ollama ? "ollama" : "openai";
        QTest::addRow("%s plain", k) << ollama << plain << false << greeting << QString();
        QTest::addRow("%s marker without tools", k) << ollama << askTool << false << greeting << QString();
        QTest::addRow("%s marker with tools", k) << ollama << askTool << true << "Let me read it." << read;
        QTest::addRow("%s marker in content parts", k)
            << ollama << partsWithMarker << true << "Let me read it." << read;
        QTest::addRow("%s after tool result", k)
            << ollama << afterTool << true << "The file says hello." << QString();
    }
}

void TestFakeBackend::defaultAnswers() {
    QFETCH(bool, ollama);
    QFETCH(QJsonArray, messages);
    QFETCH(bool, withTools);
    QFETCH(QString, expectedText);
    QFETCH(QString, expectedToolCall);

    FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    RawClient client(backend.port());
    QJsonObject request{{"model", "m"}, {"stream", true}, {"messages", messages}};
    if (withTools)
        request.insert("tools", kReadTool);
    const HttpResponse r = client.exchange(post(chatPath(backend.kind()), request));
    QCOMPARE(r.status, 200);

    QString text;
    QString toolCall;
    QString finish;
    if (ollama) {
        for (const QJsonObject &line : ndjson(r.body)) {
            const QJsonObject message = line.value("message").toObject();
            text += message.value("content").toString();
            for (const QJsonValue &call : message.value("tool_calls").toArray()) {
                const QJsonObject function = call.toObject().value("function").toObject();
                toolCall =
                    function.value("name").toString() + ' ' +
                    QString::fromUtf8(
                        QJsonDocument(function.value("arguments").toObject()).toJson(QJsonDocument::Compact));
            }
            if (line.value("done").toBool())
                finish = line.value("done_reason").toString();
        }
        QCOMPARE(finish, QString("stop"));
    } else {
        QString arguments;
        QString name;
        for (const QJsonObject &chunk : sseData(r.body)) {
            const QJsonObject choice = chunk.value("choices").toArray().at(0).toObject();
            const QJsonObject delta = choice.value("delta").toObject();
            text += delta.value("content").toString();
            const QJsonObject call = delta.value("tool_calls").toArray().at(0).toObject();
            if (call.contains("id"))
                name = call.value("function").toObject().value("name").toString();
            arguments += call.value("function").toObject().value("arguments").toString();
            if (choice.value("finish_reason").isString())
                finish = choice.value("finish_reason").toString();
        }
        if (!name.isEmpty())
            toolCall = name + ' ' + arguments;
        QCOMPARE(finish, expectedToolCall.isEmpty() ? QString("stop") : QString("tool_calls"));
    }
    QCOMPARE(text, expectedText);
    QCOMPARE(toolCall, expectedToolCall);
}

void TestFakeBackend::scriptedErrorIsSentAsIs() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.status = 429;
    reply.rawBody = R"({"error":{"message":"slow down","type":"rate_limit"}})";
    backend.enqueue(reply);
    RawClient client(backend.port());
    const QByteArray request = post(
        "/v1/chat/completions", QJsonObject{{"model", "m"}, {"stream", true}, {"messages", QJsonArray{}}});
    HttpResponse r = client.exchange(request);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(r.body, reply.rawBody);
    QVERIFY(client.received.startsWith("HTTP/1.1 429 Too Many Requests\r\n"));

    // The queue is used up: the same connection gets the default answer next, then the
    // "[[error 500]]" marker makes a 500 in the backend's own error format.
    r = client.exchange(request);
    QCOMPARE(r.status, 200);
    r = client.exchange(
        post("/v1/chat/completions",
             QJsonObject{{"model", "m"}, {"messages", QJsonArray{userTurn("x [[error 500]]")}}}));
    QCOMPARE(r.status, 500);
    QCOMPARE(QJsonDocument::fromJson(r.body).object().value("error").toObject().value("type").toString(),
             QString("server_error"));
}

void TestFakeBackend::modelListsAndWrongUrls_data() {
    QTest::addColumn<bool>("ollama");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("firstModel");

    QTest::newRow("openai models") << false << QByteArray("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n") << 200
                                   << "fake-model";
    QTest::newRow("ollama tags") << true << QByteArray("GET /api/tags HTTP/1.1\r\nHost: x\r\n\r\n") << 200
                                 << "fake-model:latest";
    QTest::newRow("openai wrong path") << false << post("/chat/completion", QJsonObject{}) << 404 << "";
    QTest::newRow("openai ollama path") << false << post("/api/chat", QJsonObject{}) << 404 << "";
    QTest::newRow("ollama openai path") << true << post("/v1/chat/completions", QJsonObject{}) << 404 << "";
    QTest::newRow("ollama tags by post") << true << post("/api/tags", QJsonObject{}) << 404 << "";
}

void TestFakeBackend::modelListsAndWrongUrls() {
    QFETCH(bool, ollama);
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, firstModel);

    FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    RawClient client(backend.port());
    const HttpResponse r = client.exchange(request);
    QCOMPARE(r.status, status);
    QCOMPARE(backend.requests().size(), 1);
    if (firstModel.isEmpty())
        return;
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    const QString id = ollama ? o.value("models").toArray().at(0).toObject().value("name").toString()
                              : o.value("data").toArray().at(0).toObject().value("id").toString();
    QCOMPARE(id, firstModel);
}

void TestFakeBackend::recordsPartialAndPipelinedRequestsInOrder() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply slow; // paced: the second answer must still come after it
    slow.text = {"first", " answer"};
    slow.chunkDelayMs = 20;
    backend.enqueue(slow);
    FakeBackend::Reply fast;
    fast.text = {"second"};
    backend.enqueue(fast);

    QSignalSpy received(&backend, &FakeBackend::requestReceived);
    RawClient client(backend.port());
    const QByteArray first = post("/v1/chat/completions?x=1",
                                  QJsonObject{{"model", "a"}, {"stream", true}, {"messages", QJsonArray{}}});
    const QByteArray second = post("/v1/chat/completions",
                                   QJsonObject{{"model", "b"}, {"stream", true}, {"messages", QJsonArray{}}});
    // The first request trickles in (split inside the headers and inside the body), the second
    // is pipelined right behind it in the same write as the first one's tail.
    client.send(first.left(10));
    QTest::qWait(20);
    client.send(first.mid(10, first.size() - 15));
    QTest::qWait(20);
    QCOMPARE(received.size(), 0);
    client.send(first.right(5) + second);
    QVERIFY(client.waitForResponses(2));

    const QList<HttpResponse> responses = client.responses();
    QCOMPARE(sseData(responses[0].body).at(1).value("model").toString(), QString("a"));
    QCOMPARE(sseData(responses[1].body).at(1).value("model").toString(), QString("b"));
    QCOMPARE(sseData(responses[1].body)
                 .at(1)
                 .value("choices")
                 .toArray()[0]
                 .toObject()
                 .value("delta")
                 .toObject()
                 .value("content")
                 .toString(),
             QString("second"));

    QCOMPARE(received.size(), 2);
    const QList<FakeBackend::Recorded> requests = backend.requests();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[0].method, QByteArray("POST"));
    QCOMPARE(requests[0].path, QByteArray("/v1/chat/completions?x=1"));
    QCOMPARE(requests[0].headers.value("authorization"), QByteArray("Bearer sk-test"));
    QCOMPARE(requests[0].headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(requests[0].json().value("model").toString(), QString("a"));
    QCOMPARE(requests[1].body, second.mid(second.indexOf("\r\n\r\n") + 4));
}

void TestFakeBackend::cutAfterChunksClosesTheConnection() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"a", "b", "c", "d"};
    reply.cutAfterChunks = 2;
    backend.enqueue(reply);
    RawClient client(backend.port());
    QSignalSpy disconnected(&client.socket, &QTcpSocket::disconnected);
    client.send(post("/api/chat", QJsonObject{{"model", "m"}, {"messages", QJsonArray{userTurn("hi")}}}));
    QVERIFY(disconnected.wait(5000));
    QVERIFY(client.responses().isEmpty()); // the chunked body never ended
    QVERIFY(client.received.contains("\"created_at\""));
    QVERIFY(client.received.contains("\"content\":\"b\""));
    QVERIFY(!client.received.contains("\"content\":\"c\""));
    QCOMPARE(backend.clientsClosedMidAnswer(), 0); // the backend hung up, not the client
}

void TestFakeBackend::clientClosingAStalledAnswerIsCounted() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"never", "finished"};
    reply.stallAfterChunks = 2;
    backend.enqueue(reply);
    QSignalSpy closed(&backend, &FakeBackend::clientClosedMidAnswer);
    {
        RawClient client(backend.port());
        client.send(
            post("/v1/chat/completions",
                 QJsonObject{{"model", "m"}, {"stream", true}, {"messages", QJsonArray{userTurn("hi")}}}));
        QVERIFY(QTest::qWaitFor([&] { return client.received.contains("never"); }, 5000));
        QTest::qWait(50);
        QVERIFY(!client.received.contains("finished"));
        QCOMPARE(closed.size(), 0);
        client.socket.abort();
    }
    QVERIFY(closed.wait(5000));
    QCOMPARE(backend.clientsClosedMidAnswer(), 1);

    // A client that leaves after a complete answer is not counted.
    RawClient polite(backend.port());
    polite.exchange(post("/v1/chat/completions", QJsonObject{{"model", "m"}, {"messages", QJsonArray{}}}));
    polite.socket.disconnectFromHost();
    QTest::qWait(50);
    QCOMPARE(backend.clientsClosedMidAnswer(), 1);
}

void TestFakeBackend::firstByteDelayIsHonoured() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"late"};
    reply.firstByteDelayMs = 150;
    backend.enqueue(reply);
    RawClient client(backend.port());
    QElapsedTimer timer;
    timer.start();
    client.send(post("/v1/chat/completions",
                     QJsonObject{{"model", "m"}, {"stream", true}, {"messages", QJsonArray{}}}));
    QVERIFY(QTest::qWaitFor([&] { return !client.received.isEmpty(); }, 5000));
    QVERIFY2(timer.elapsed() >= 140, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(client.waitForResponses(1));
}

void TestFakeBackend::defaultAnswerOfNWords() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    backend.setDefaultAnswer(5, 1, 0);
    QVERIFY(backend.listen());
    RawClient client(backend.port());
    const HttpResponse r = client.exchange(
        post("/v1/chat/completions", QJsonObject{{"model", "m"},
                                                 {"stream", true},
                                                 {"stream_options", QJsonObject{{"include_usage", true}}},
                                                 {"messages", QJsonArray{userTurn("hi")}}}));
    QString text;
    int pieces = 0;
    const QList<QJsonObject> chunks = sseData(r.body);
    for (const QJsonObject &c : chunks) {
        const QString piece = c.value("choices")
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value("delta")
                                  .toObject()
                                  .value("content")
                                  .toString();
        text += piece;
        pieces += piece.isEmpty() ? 0 : 1;
    }
    QCOMPARE(text, QString("tok tok tok tok tok"));
    QCOMPARE(pieces, 5);
    QCOMPARE(chunks.last().value("usage").toObject().value("completion_tokens").toInt(), 5);
}

QTEST_GUILESS_MAIN(TestFakeBackend)
#include "tst_fakebackend.moc"
