// The real proxy (ProxyService: HTTP server on its worker thread) against fake backends that
// speak the exact OpenAI and Ollama wire formats, over real sockets.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "SseStream.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

struct HttpResult {
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorType() const { return json().value("error").toObject().value("type").toString(); }
    QString errorMessage() const { return json().value("error").toObject().value("message").toString(); }
};

QByteArray fixture(const QString &name) {
    QFile file(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QByteArray body(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject simpleRequest(bool stream, const QString &text = "hi") {
    return QJsonObject{{"model", "claude-sonnet-4-5"},
                       {"max_tokens", 1024},
                       {"stream", stream},
                       {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", text}}}}};
}

const QJsonArray kReadTool{
    QJsonObject{{"name", "Read"},
                {"description", "Read a file"},
                {"input_schema",
                 QJsonObject{{"type", "object"},
                             {"properties", QJsonObject{{"file_path", QJsonObject{{"type", "string"}}}}}}}}};

} // namespace

class TestProxyIntegration : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void streamsText_data();
    void streamsText();
    void answersJson_data();
    void answersJson();
    void toolCallRoundTrip_data();
    void toolCallRoundTrip();
    void reasoningBecomesThinking();
    void backendErrorsBecomeAnthropicErrors_data();
    void backendErrorsBecomeAnthropicErrors();
    void deadBackendIsNamed();
    void streamCutMidAnswerEndsWithErrorEvent();
    void stalledStreamTimesOut();
    void clientDisconnectAbortsBackend();
    void badRequests_data();
    void badRequests();
    void unmappedModelSaysHowToMapIt();
    void countTokens();
    void sideTrafficAndHealth();
    void browserOriginsAreRefused();
    void recordedClaudeCodeRequestIsTranslated_data();
    void recordedClaudeCodeRequestIsTranslated();
    void concurrentStreams();
    void maxTokensCappedPerModel();
    void recordsAreReported();

private:
    void startProxy(FakeBackend &backend, const std::function<void(ProxyConfig &)> &adjust = {});
    HttpResult post(const QString &path, const QByteArray &payload,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult send(const QByteArray &verb, const QString &path, const QByteArray &payload = {},
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});

    std::unique_ptr<ProxyUnderTest> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_client;
};

void TestProxyIntegration::init() {
    m_proxy = std::make_unique<ProxyUnderTest>();
    m_client = std::make_unique<QNetworkAccessManager>();
}

void TestProxyIntegration::cleanup() {
    m_client.reset();
    m_proxy.reset();
}

void TestProxyIntegration::startProxy(FakeBackend &backend,
                                      const std::function<void(ProxyConfig &)> &adjust) {
    QVERIFY(m_proxy->start(backend, [&](ProxyConfig &c) {
        c.backend.name = "fake";
        c.modelMap.rules = {ModelRule{"claude-*haiku*", "fake-small", 0, 0}};
        if (adjust)
            adjust(c);
    }));
}

HttpResult TestProxyIntegration::send(const QByteArray &verb, const QString &path, const QByteArray &payload,
                                      const QList<QPair<QByteArray, QByteArray>> &headers) {
    QNetworkRequest request(QUrl(m_proxy->address() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_client->sendCustomRequest(request, verb, payload);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    reply->deleteLater();
    return result;
}

HttpResult TestProxyIntegration::post(const QString &path, const QByteArray &payload,
                                      const QList<QPair<QByteArray, QByteArray>> &headers) {
    return send("POST", path, payload, headers);
}

void TestProxyIntegration::streamsText_data() {
    QTest::addColumn<bool>("ollama");
    QTest::newRow("openai") << false;
    QTest::newRow("ollama") << true;
}

void TestProxyIntegration::streamsText() {
    QFETCH(bool, ollama);
    FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"Hel", "lo ", "wörld ✓"};
    reply.chunkDelayMs = 5;
    reply.promptTokens = 321;
    reply.completionTokens = 4;
    backend.enqueue(reply);
    startProxy(backend);

    const HttpResult result = post("/v1/messages?beta=true", body(simpleRequest(true)));
    QCOMPARE(result.status, 200);
    QVERIFY(result.contentType.startsWith("text/event-stream"));
    const QList<SseEvent> events = parseSse(result.body);
    QCOMPARE(streamProblem(events), QString());
    QCOMPARE(streamText(events), QString("Hello wörld ✓"));
    QCOMPARE(events.first().data.value("message").toObject().value("model").toString(),
             QString("claude-sonnet-4-5"));
    const QJsonObject messageDelta = events.at(events.size() - 2).data;
    QCOMPARE(messageDelta.value("delta").toObject().value("stop_reason").toString(), QString("end_turn"));
    QCOMPARE(messageDelta.value("usage").toObject().value("output_tokens").toInt(), 4);
    QCOMPARE(messageDelta.value("usage").toObject().value("input_tokens").toInt(), 321);

    QCOMPARE(backend.requests().size(), 1);
    const QJsonObject sent = backend.requests().first().json();
    QCOMPARE(sent.value("model").toString(), QString("fake-model"));
    QCOMPARE(backend.requests().first().path,
             ollama ? QByteArray("/api/chat") : QByteArray("/v1/chat/completions"));
    if (ollama) // sized for this small request (see tst_modellimits), never Ollama's cutting default
        QCOMPARE(sent.value("options").toObject().value("num_ctx").toInt(), 8192);
    else
        QVERIFY(sent.value("stream_options").toObject().value("include_usage").toBool());
}

void TestProxyIntegration::answersJson_data() {
    streamsText_data();
}

void TestProxyIntegration::answersJson() {
    QFETCH(bool, ollama);
    FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend);
    QJsonObject request = simpleRequest(false);
    request.remove("stream"); // Claude Code's fallback request may have no stream key at all
    request.insert("model", "claude-haiku-4-5");
    const HttpResult result = post("/v1/messages", body(request));
    QCOMPARE(result.status, 200);
    const QJsonObject message = result.json();
    QCOMPARE(message.value("type").toString(), QString("message"));
    QCOMPARE(message.value("model").toString(), QString("claude-haiku-4-5"));
    QCOMPARE(message.value("stop_reason").toString(), QString("end_turn"));
    const QJsonArray content = message.value("content").toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.at(0).toObject().value("text").toString(),
             QString("Hello from the fake %1 backend.").arg(ollama ? "ollama" : "openai"));
    QCOMPARE(message.value("usage").toObject().value("input_tokens").toInt(), 12);
    QCOMPARE(message.value("usage").toObject().value("output_tokens").toInt(), 7);
    QCOMPARE(backend.requests().first().json().value("model").toString(), QString("fake-small"));
}

void TestProxyIntegration::toolCallRoundTrip_data() {
    streamsText_data();
}

void TestProxyIntegration::toolCallRoundTrip() {
    QFETCH(bool, ollama);
    FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend);

    QJsonObject request = simpleRequest(true, "read it [[tool]]");
    request.insert("tools", kReadTool);
    const QList<SseEvent> events = parseSse(post("/v1/messages", body(request)).body);
    QCOMPARE(streamProblem(events), QString());
    QString toolId;
    QString partialJson;
    for (const SseEvent &e : events) {
        const QJsonObject block = e.data.value("content_block").toObject();
        if (block.value("type").toString() == "tool_use") {
            toolId = block.value("id").toString();
            QCOMPARE(block.value("name").toString(), QString("Read"));
        }
        partialJson += e.data.value("delta").toObject().value("partial_json").toString();
    }
    QVERIFY(toolId.startsWith(ollama ? "toolu_" : "call_fake_1"));
    QCOMPARE(QJsonDocument::fromJson(partialJson.toUtf8()).object().value("file_path").toString(),
             QString("/tmp/hello.txt"));
    QCOMPARE(events.at(events.size() - 2).data.value("delta").toObject().value("stop_reason").toString(),
             QString("tool_use"));

    // The next turn, as Claude Code sends it: the assistant's tool_use echoed, then the tool_result.
    QJsonArray messages = request.value("messages").toArray();
    messages.append(QJsonObject{
        {"role", "assistant"},
        {"content", QJsonArray{QJsonObject{{"type", "tool_use"},
                                           {"id", toolId},
                                           {"name", "Read"},
                                           {"input", QJsonObject{{"file_path", "/tmp/hello.txt"}}}}}}});
    messages.append(QJsonObject{
        {"role", "user"},
        {"content",
         QJsonArray{QJsonObject{{"type", "tool_result"}, {"tool_use_id", toolId}, {"content", "hello"}}}}});
    request.insert("messages", messages);
    const QList<SseEvent> second = parseSse(post("/v1/messages", body(request)).body);
    QCOMPARE(streamProblem(second), QString());
    QCOMPARE(streamText(second), QString("The file says hello."));

    const QJsonArray sent = backend.requests().last().json().value("messages").toArray();
    const QJsonObject toolMessage = sent.last().toObject();
    QCOMPARE(toolMessage.value("role").toString(), QString("tool"));
    QCOMPARE(toolMessage.value("content").toString(), QString("hello"));
    if (ollama)
        QCOMPARE(toolMessage.value("tool_name").toString(), QString("Read"));
    else
        QCOMPARE(toolMessage.value("tool_call_id").toString(), toolId);
}

void TestProxyIntegration::reasoningBecomesThinking() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.reasoning = {"Let me ", "think."};
    reply.text = {"Done."};
    backend.enqueue(reply);
    startProxy(backend);
    const QList<SseEvent> events = parseSse(post("/v1/messages", body(simpleRequest(true))).body);
    QCOMPARE(streamProblem(events), QString());
    QCOMPARE(events.at(1).data.value("content_block").toObject().value("type").toString(),
             QString("thinking"));
    QString thinking;
    bool signed_ = false;
    for (const SseEvent &e : events) {
        const QJsonObject delta = e.data.value("delta").toObject();
        thinking += delta.value("thinking").toString();
        signed_ = signed_ || !delta.value("signature").toString().isEmpty();
    }
    QCOMPARE(thinking, QString("Let me think."));
    QVERIFY(signed_);
    QCOMPARE(streamText(events), QString("Done."));
}

void TestProxyIntegration::backendErrorsBecomeAnthropicErrors_data() {
    QTest::addColumn<bool>("ollama");
    QTest::addColumn<int>("backendStatus");
    QTest::addColumn<QByteArray>("backendBody");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("ollama model missing")
        << true << 404 << QByteArray(R"({"error":"model 'fake-model' not found"})") << 404
        << "not_found_error"
        << "ollama pull fake-model";
    QTest::newRow("bad key") << false << 401 << QByteArray(R"({"error":{"message":"invalid key"}})") << 401
                             << "authentication_error"
                             << "invalid key";
    QTest::newRow("rate limited") << false << 429 << QByteArray(R"({"error":{"message":"slow down"}})") << 429
                                  << "rate_limit_error"
                                  << "slow down";
    QTest::newRow("crashed") << true << 500
                             << QByteArray(R"({"error":"llama runner process has terminated"})") << 500
                             << "api_error"
                             << "llama runner process has terminated";
    QTest::newRow("loading") << false << 503 << QByteArray(R"({"error":{"message":"Loading model"}})") << 529
                             << "overloaded_error"
                             << "Loading model";
    QTest::newRow("html gateway page")
        << false << 502 << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>") << 502
        << "api_error"
        << "502 Bad Gateway";
    QTest::newRow("context overflow")
        << false << 400
        << QByteArray(
               R"({"error":{"message":"the request exceeds the available context size, try increasing it","n_prompt_tokens":40000,"n_ctx":32768}})")
        << 400 << "invalid_request_error"
        << "prompt is too long: 40000 tokens > 32768 maximum";
}

void TestProxyIntegration::backendErrorsBecomeAnthropicErrors() {
    QFETCH(bool, ollama);
    QFETCH(int, backendStatus);
    QFETCH(QByteArray, backendBody);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, mentions);
    FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend);
    for (bool stream : {true, false}) {
        FakeBackend::Reply reply;
        reply.status = backendStatus;
        reply.rawBody = backendBody;
        reply.contentType = backendBody.startsWith('<') ? "text/html" : "application/json";
        backend.enqueue(reply);
        const HttpResult result = post("/v1/messages", body(simpleRequest(stream)));
        QCOMPARE(result.status, status);
        QCOMPARE(result.json().value("type").toString(), QString("error"));
        QCOMPARE(result.errorType(), type);
        QVERIFY2(result.errorMessage().contains(mentions), qPrintable(result.errorMessage()));
    }
}

void TestProxyIntegration::deadBackendIsNamed() {
    auto backend = std::make_unique<FakeBackend>(FakeBackend::Kind::Ollama);
    QVERIFY(backend->listen());
    const QString url = backend->baseUrl();
    startProxy(*backend);
    backend.reset(); // closes the port: connections are refused from now on
    const HttpResult result = post("/v1/messages", body(simpleRequest(true)));
    QCOMPARE(result.status, 502);
    QCOMPARE(result.errorType(), QString("api_error"));
    QVERIFY2(result.errorMessage().contains(url), qPrintable(result.errorMessage()));
    QVERIFY(result.errorMessage().contains("connection refused"));
}

void TestProxyIntegration::streamCutMidAnswerEndsWithErrorEvent() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"one ", "two ", "three ", "four"};
    reply.chunkDelayMs = 5;
    reply.cutAfterChunks = 3;
    backend.enqueue(reply);
    startProxy(backend);
    const HttpResult result = post("/v1/messages", body(simpleRequest(true)));
    QCOMPARE(result.status, 200);
    const QList<SseEvent> events = parseSse(result.body);
    QCOMPARE(streamProblem(events), QString());
    QCOMPARE(events.last().name, QString("error"));
    QVERIFY(
        events.last().data.value("error").toObject().value("message").toString().contains(backend.baseUrl()));
    QCOMPARE(streamText(events), QString("one two "));
}

void TestProxyIntegration::stalledStreamTimesOut() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"a", "b", "c"};
    reply.chunkDelayMs = 1;
    reply.stallAfterChunks = 1;
    backend.enqueue(reply);
    startProxy(backend, [](ProxyConfig &c) { c.streamIdleTimeoutMs = 300; });
    QElapsedTimer clock;
    clock.start();
    const QList<SseEvent> events = parseSse(post("/v1/messages", body(simpleRequest(true))).body);
    QVERIFY(clock.elapsed() < 5000);
    QCOMPARE(streamProblem(events), QString());
    QCOMPARE(events.last().name, QString("error"));
    QVERIFY(
        events.last().data.value("error").toObject().value("message").toString().contains("stopped sending"));
}

void TestProxyIntegration::clientDisconnectAbortsBackend() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    for (int i = 0; i < 200; ++i)
        reply.text.append("word ");
    reply.chunkDelayMs = 20;
    backend.enqueue(reply);
    startProxy(backend);

    QTcpSocket client;
    const QUrl url(m_proxy->address());
    client.connectToHost(url.host(), quint16(url.port()));
    QVERIFY(client.waitForConnected(2000));
    const QByteArray payload = body(simpleRequest(true));
    client.write("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                 "application/json\r\nContent-Length: " +
                 QByteArray::number(payload.size()) + "\r\n\r\n" + payload);
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += client.readAll()).contains("text_delta"), 5000);
    QSignalSpy closed(&backend, &FakeBackend::clientClosedMidAnswer);
    QElapsedTimer clock;
    clock.start();
    client.abort();
    QVERIFY(closed.wait(1000));
    QVERIFY(clock.elapsed() < 1000);
    QVERIFY(m_proxy->waitForRecords(1, 2000));
    const auto record = m_proxy->records().last();
    QCOMPARE(record.status, 200);
    QVERIFY(record.error.contains("disconnected"));
}

void TestProxyIntegration::badRequests_data() {
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("malformed json") << QByteArray("POST") << "/v1/messages" << QByteArray("{\"model\":")
                                    << 400 << "invalid_request_error"
                                    << "not valid JSON";
    QTest::newRow("not an object") << QByteArray("POST") << "/v1/messages" << QByteArray("[1,2]") << 400
                                   << "invalid_request_error"
                                   << "JSON object";
    QTest::newRow("no model") << QByteArray("POST") << "/v1/messages"
                              << QByteArray(R"({"max_tokens":5,"messages":[{"role":"user","content":"x"}]})")
                              << 400 << "invalid_request_error"
                              << "model";
    QTest::newRow("no max_tokens") << QByteArray("POST") << "/v1/messages"
                                   << QByteArray(
                                          R"({"model":"m","messages":[{"role":"user","content":"x"}]})")
                                   << 400 << "invalid_request_error"
                                   << "max_tokens";
    QTest::newRow("max_tokens mistyped")
        << QByteArray("POST") << "/v1/messages"
        << QByteArray(R"({"model":"m","max_tokens":"abc","messages":[{"role":"user","content":"x"}]})") << 400
        << "invalid_request_error"
        << "max_tokens";
    QTest::newRow("empty messages") << QByteArray("POST") << "/v1/messages"
                                    << QByteArray(R"({"model":"m","max_tokens":5,"messages":[]})") << 400
                                    << "invalid_request_error"
                                    << "messages";
    QTest::newRow("unknown role")
        << QByteArray("POST") << "/v1/messages"
        << QByteArray(R"({"model":"m","max_tokens":5,"messages":[{"role":"robot","content":"x"}]})") << 400
        << "invalid_request_error"
        << "robot";
    QTest::newRow("image without data")
        << QByteArray("POST") << "/v1/messages"
        << QByteArray(
               R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png"}}]}]})")
        << 400 << "invalid_request_error"
        << "no data";
    QTest::newRow("unknown route") << QByteArray("POST") << "/v1/complete" << QByteArray("{}") << 404
                                   << "not_found_error"
                                   << "/v1/complete";
    QTest::newRow("wrong method") << QByteArray("GET") << "/v1/messages" << QByteArray() << 400
                                  << "invalid_request_error"
                                  << "POST";
}

void TestProxyIntegration::badRequests() {
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(QByteArray, payload);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, mentions);
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend);
    const HttpResult result = send(verb, path, payload);
    QCOMPARE(result.status, status);
    QCOMPARE(result.errorType(), type);
    QVERIFY2(result.errorMessage().contains(mentions), qPrintable(result.errorMessage()));
    QVERIFY(backend.requests().isEmpty());
    // ... and the server keeps serving.
    QCOMPARE(post("/v1/messages", body(simpleRequest(false))).status, 200);
}

void TestProxyIntegration::unmappedModelSaysHowToMapIt() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend, [](ProxyConfig &c) { c.modelMap.defaultModel.clear(); });
    const HttpResult result = post("/v1/messages", body(simpleRequest(true)));
    QCOMPARE(result.status, 404);
    QCOMPARE(result.errorType(), QString("not_found_error"));
    QVERIFY(result.errorMessage().contains("claude-sonnet-4-5"));
    QVERIFY(result.errorMessage().contains("DEFAULT_MODEL"));
}

void TestProxyIntegration::countTokens() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend);
    const HttpResult small =
        post("/v1/messages/count_tokens?beta=true", fixture("v2.1.331-count-tokens.request.json"));
    QCOMPARE(small.status, 200);
    const int smallCount = small.json().value("input_tokens").toInt();
    QVERIFY2(smallCount > 40 && smallCount < 200, qPrintable(QString::number(smallCount)));
    const HttpResult large = post("/v1/messages/count_tokens", fixture("v2.1.197-first-turn.request.json"));
    const int largeCount = large.json().value("input_tokens").toInt();
    QVERIFY2(largeCount > 12000 && largeCount < 30000, qPrintable(QString::number(largeCount)));
    QVERIFY(backend.requests().isEmpty());
}

void TestProxyIntegration::sideTrafficAndHealth() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    startProxy(backend);
    QCOMPARE(send("HEAD", "/").status, 200);
    QCOMPARE(send("HEAD", "/api/hello").status, 204);
    QCOMPARE(post("/api/event_logging/batch", "{\"events\":[]}").status, 204);
    const HttpResult health = send("GET", "/health");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value("status").toString(), QString("ok"));
    QCOMPARE(health.json().value("version").toString(), QString(MODELRELAY_VERSION));
    QCOMPARE(health.json().value("backend").toObject().value("kind").toString(), QString("ollama"));
    QCOMPARE(health.json().value("backend").toObject().value("url").toString(), backend.baseUrl());
    QTest::qWait(50);
    QCOMPARE(m_proxy->records().size(), 0); // side traffic stays out of the request log
}

void TestProxyIntegration::browserOriginsAreRefused() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend);
    const HttpResult result =
        post("/v1/messages", body(simpleRequest(false)), {{"Origin", "https://evil.example"}});
    QCOMPARE(result.status, 403);
    QCOMPARE(result.errorType(), QString("permission_error"));
    QVERIFY(backend.requests().isEmpty());
}

void TestProxyIntegration::recordedClaudeCodeRequestIsTranslated_data() {
    QTest::addColumn<bool>("ollama");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<int>("tools");
    for (bool ollama : {false, true}) {
        const char *kind = ollama ? "ollama" : "openai";
        QTest::addRow("%s 2.1.197 first turn", kind) << ollama << "v2.1.197-first-turn.request.json" << 24;
        // 2.1.331 lists a deferred placeholder tool, never offered to the backend.
        QTest::addRow("%s 2.1.331 first turn", kind) << ollama << "v2.1.331-first-turn.request.json" << 11;
        QTest::addRow("%s 2.1.331 parallel tool results", kind)
            << ollama << "v2.1.331-thinking-parallel-tool-results.request.json" << 11;
        QTest::addRow("%s 2.1.331 title", kind) << ollama << "v2.1.331-title-request.request.json" << 0;
        QTest::addRow("%s 2.1.331 interactive", kind)
            << ollama << "v2.1.331-interactive-first-turn.request.json" << -1;
    }
}

void TestProxyIntegration::recordedClaudeCodeRequestIsTranslated() {
    QFETCH(bool, ollama);
    QFETCH(QString, fixture);
    QFETCH(int, tools);
    FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend);
    const QByteArray recorded = ::fixture(fixture);
    const HttpResult result = post("/v1/messages?beta=true", recorded);
    QCOMPARE(result.status, 200);
    QCOMPARE(streamProblem(parseSse(result.body)), QString());

    const QJsonObject sent = backend.requests().first().json();
    const QJsonArray messages = sent.value("messages").toArray();
    QCOMPARE(messages.first().toObject().value("role").toString(), QString("system"));
    int systemMessages = 0;
    for (const QJsonValue &m : messages)
        systemMessages += m.toObject().value("role").toString() == "system";
    QCOMPARE(systemMessages, 1);
    const QString system = messages.first().toObject().value("content").toString();
    QVERIFY(!system.contains("x-anthropic-billing-header"));
    if (tools >= 0)
        QCOMPARE(sent.value("tools").toArray().size(), tools);
    // Inline system messages of the recording are merged into the one system prompt.
    const QJsonArray original = QJsonDocument::fromJson(recorded).object().value("messages").toArray();
    for (const QJsonValue &m : original) {
        if (m.toObject().value("role").toString() != "system")
            continue;
        const QJsonValue content = m.toObject().value("content");
        const QString text = content.isString()
                                 ? content.toString()
                                 : content.toArray().first().toObject().value("text").toString();
        QVERIFY(system.contains(text.left(80)));
    }
}

void TestProxyIntegration::concurrentStreams() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setDefaultAnswer(20, 5, 0);
    startProxy(backend);
    constexpr int kStreams = 24; // beyond one network manager's six connections per host
    QList<QNetworkReply *> replies;
    for (int i = 0; i < kStreams; ++i) {
        QNetworkRequest request(QUrl(m_proxy->address() + "/v1/messages"));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        replies.append(m_client->post(request, body(simpleRequest(true))));
    }
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }), 20000);
    for (QNetworkReply *reply : replies) {
        const QList<SseEvent> events = parseSse(reply->readAll());
        QCOMPARE(streamProblem(events), QString());
        QCOMPARE(streamText(events).count("tok"), 20);
        reply->deleteLater();
    }
    QCOMPARE(backend.requests().size(), kStreams);
}

void TestProxyIntegration::maxTokensCappedPerModel() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    startProxy(backend, [](ProxyConfig &c) {
        c.modelMap.rules = {ModelRule{"claude-*", "capped", 8192, 0}};
    });
    QJsonObject request = simpleRequest(true);
    request.insert("max_tokens", 32000);
    QCOMPARE(post("/v1/messages", body(request)).status, 200);
    QCOMPARE(backend.requests().first().json().value("max_tokens").toInt(), 8192);
}

void TestProxyIntegration::recordsAreReported() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    startProxy(backend, [](ProxyConfig &c) { c.backend.apiKey = "sk-secret-key-1234"; });
    QCOMPARE(post("/v1/messages", body(simpleRequest(true))).status, 200);
    QTRY_COMPARE(m_proxy->records().size(), 1);
    const auto record = m_proxy->records().first();
    QCOMPARE(record.endpoint, QString("messages"));
    QCOMPARE(record.clientModel, QString("claude-sonnet-4-5"));
    QCOMPARE(record.backendModel, QString("fake-model"));
    QVERIFY(record.stream);
    QCOMPARE(record.status, 200);
    QVERIFY(record.estimatedInputTokens > 0);
    QCOMPARE(record.inputTokens.value_or(-1), 12);
    QCOMPARE(record.outputTokens.value_or(-1), 7);
    QVERIFY(record.timeToFirstTokenMs >= 0);
    QVERIFY(record.durationMs >= record.timeToFirstTokenMs);
    QCOMPARE(record.stopReason, QString("end_turn"));
    QVERIFY(record.error.isEmpty());
    QCOMPARE(backend.requests().first().headers.value("authorization"),
             QByteArray("Bearer sk-secret-key-1234"));
    for (const QString &note : record.notes)
        QVERIFY(!note.contains("sk-secret"));
    // The exchange as translated, for the detail view: no key anywhere in it.
    QCOMPARE(QJsonDocument::fromJson(record.clientRequest).object().value("model").toString(),
             QString("claude-sonnet-4-5"));
    QCOMPARE(QJsonDocument::fromJson(record.backendRequest).object().value("model").toString(),
             QString("fake-model"));
    QVERIFY(record.response.startsWith("event: message_start"));
    QVERIFY(record.response.contains("event: message_stop"));
    for (const QByteArray &body : {record.clientRequest, record.backendRequest, record.response})
        QVERIFY(!body.contains("sk-secret"));
}

QTEST_GUILESS_MAIN(TestProxyIntegration)
#include "tst_proxyintegration.moc"
