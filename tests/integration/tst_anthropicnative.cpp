// The real proxy with an Anthropic-native backend (PROVIDER=anthropic) against FakeBackend's
// Anthropic kind over real sockets: the client's request forwarded with only the model mapped,
// the backend's events relayed through the proxy's own encoder (the client's model name, usage,
// stop reasons, thinking signatures), tool round trips and errors passed through with where they
// came from.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "SseStream.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

Q_DECLARE_METATYPE(modelrelay::testing::FakeBackend::Kind)

namespace {

struct HttpResult {
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorType() const { return json().value("error").toObject().value("type").toString(); }
    QString errorMessage() const { return json().value("error").toObject().value("message").toString(); }
};

QByteArray body(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject simpleRequest(bool stream, const QString &text = "hi") {
    return QJsonObject{{"model", "claude-sonnet-4-5"},
                       {"max_tokens", 64000},
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

class TestAnthropicNative : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void streamsTextUnderTheClientsModelName();
    void answersJson();
    void forwardsTheRequestWithOnlyTheModelMapped();
    void toolUseRoundTrip();
    void thinkingKeepsTheBackendsSignature();
    void backendErrorsArePassedThroughWithTheirOrigin_data();
    void backendErrorsArePassedThroughWithTheirOrigin();
    void errorEventInsideTheStream();
    void passthroughInFrontOfAnAnthropicServer();
    void otherKindsNeverGetTheClientsCredentials_data();
    void otherKindsNeverGetTheClientsCredentials();
    void healthNamesTheKind();

private:
    void startProxy(FakeBackend &backend, const std::function<void(ProxyConfig &)> &adjust = {});
    HttpResult post(const QString &path, const QByteArray &payload);

    std::unique_ptr<ProxyUnderTest> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_client;
};

void TestAnthropicNative::init() {
    m_proxy = std::make_unique<ProxyUnderTest>();
    m_client = std::make_unique<QNetworkAccessManager>();
}

void TestAnthropicNative::cleanup() {
    m_client.reset();
    m_proxy.reset();
}

void TestAnthropicNative::startProxy(FakeBackend &backend, const std::function<void(ProxyConfig &)> &adjust) {
    QVERIFY(m_proxy->start(backend, [&](ProxyConfig &c) {
        c.backend.name = "fake native";
        c.modelMap.rules = {ModelRule{"claude-*haiku*", "fake-small", 0, 0}};
        if (adjust)
            adjust(c);
    }));
}

HttpResult TestAnthropicNative::post(const QString &path, const QByteArray &payload) {
    QNetworkRequest request(QUrl(m_proxy->address() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setRawHeader("anthropic-version", "2023-06-01");
    QNetworkReply *reply = m_client->post(request, payload);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    reply->deleteLater();
    return result;
}

void TestAnthropicNative::streamsTextUnderTheClientsModelName() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
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
    const QList<SseEvent> events = parseSse(result.body);
    QCOMPARE(streamProblem(events), QString());
    QCOMPARE(streamText(events), QString("Hello wörld ✓"));
    const QJsonObject message = events.first().data.value("message").toObject();
    QCOMPARE(message.value("model").toString(), QString("claude-sonnet-4-5"));
    QVERIFY(message.value("id").toString() != "msg_fake_backend"); // the proxy's own id
    const QJsonObject messageDelta = events.at(events.size() - 2).data;
    QCOMPARE(messageDelta.value("delta").toObject().value("stop_reason").toString(), QString("end_turn"));
    QCOMPARE(messageDelta.value("usage").toObject().value("output_tokens").toInt(), 4);
    QCOMPARE(messageDelta.value("usage").toObject().value("input_tokens").toInt(), 321);

    QCOMPARE(backend.requests().size(), 1);
    QCOMPARE(backend.requests().first().path, QByteArray("/v1/messages?beta=true")); // as the client called
    QCOMPARE(backend.requests().first().json().value("model").toString(), QString("fake-model"));
}

void TestAnthropicNative::answersJson() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    startProxy(backend);
    QJsonObject request = simpleRequest(false);
    request.insert("model", "claude-3-5-haiku-latest");
    const HttpResult result = post("/v1/messages", body(request));
    QCOMPARE(result.status, 200);
    const QJsonObject message = result.json();
    QCOMPARE(message.value("model").toString(), QString("claude-3-5-haiku-latest"));
    QCOMPARE(message.value("content").toArray().at(0).toObject().value("text").toString(),
             QString("Hello from the fake anthropic backend."));
    QCOMPARE(message.value("stop_reason").toString(), QString("end_turn"));
    QCOMPARE(message.value("usage").toObject().value("output_tokens").toInt(), 7);
    // The backend is always asked for a stream; the proxy collects it.
    const QJsonObject sent = backend.requests().first().json();
    QCOMPARE(sent.value("stream").toBool(), true);
    QCOMPARE(sent.value("model").toString(), QString("fake-small"));
}

void TestAnthropicNative::forwardsTheRequestWithOnlyTheModelMapped() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    startProxy(backend, [](ProxyConfig &config) {
        config.backend.apiKey = "sk-native";
        config.backend.maxOutputTokens = 8192;
    });
    QJsonObject request = simpleRequest(true);
    request.insert("system",
                   QJsonArray{QJsonObject{{"type", "text"}, {"text", "x-anthropic-billing-header: cch=7;"}},
                              QJsonObject{{"type", "text"}, {"text", "Be brief."}}});
    request.insert("context_management", QJsonObject{{"edits", QJsonArray{}}}); // unknown to the parser
    request.insert("temperature", 0.25);
    QCOMPARE(post("/v1/messages", body(request)).status, 200);

    const FakeBackend::Recorded sent = backend.requests().first();
    QCOMPARE(sent.headers.value("x-api-key"), QByteArray("sk-native"));
    QCOMPARE(sent.headers.value("authorization"), QByteArray("Bearer sk-native"));
    QCOMPARE(sent.headers.value("anthropic-version"), QByteArray("2023-06-01"));
    const QJsonObject json = sent.json();
    QCOMPARE(json.value("max_tokens").toInt(), 8192);
    QCOMPARE(json.value("context_management"), request.value("context_management"));
    QCOMPARE(json.value("temperature").toDouble(), 0.25);
    QCOMPARE(json.value("messages"), request.value("messages"));
    QCOMPARE(json.value("system"), QJsonValue(QJsonArray{request.value("system").toArray().at(1)}));
}

void TestAnthropicNative::toolUseRoundTrip() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
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
    QCOMPARE(toolId, QString("call_fake_1")); // the backend's id, kept
    QCOMPARE(QJsonDocument::fromJson(partialJson.toUtf8()).object().value("file_path").toString(),
             QString("/tmp/hello.txt"));
    QCOMPARE(events.at(events.size() - 2).data.value("delta").toObject().value("stop_reason").toString(),
             QString("tool_use"));

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
    // The tool result reaches the backend in Anthropic's own shape.
    QCOMPARE(backend.requests().last().json().value("messages"), QJsonValue(messages));
}

void TestAnthropicNative::thinkingKeepsTheBackendsSignature() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.reasoning = {"Let me ", "think."};
    reply.text = {"Done."};
    backend.enqueue(reply);
    startProxy(backend);
    const QList<SseEvent> events = parseSse(post("/v1/messages", body(simpleRequest(true))).body);
    QCOMPARE(streamProblem(events), QString());
    QString thinking;
    QString signature;
    for (const SseEvent &e : events) {
        const QJsonObject delta = e.data.value("delta").toObject();
        thinking += delta.value("thinking").toString();
        signature += delta.value("signature").toString();
    }
    QCOMPARE(thinking, QString("Let me think."));
    QCOMPARE(signature, QString("fake-signature-13"));
    QCOMPARE(streamText(events), QString("Done."));
}

void TestAnthropicNative::backendErrorsArePassedThroughWithTheirOrigin_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("backendBody");
    QTest::addColumn<int>("expectedStatus");
    QTest::addColumn<QString>("expectedType");
    QTest::addColumn<QString>("expectedText");

    QTest::newRow("model not found")
        << 404
        << QByteArray(
               R"({"type":"error","error":{"type":"not_found_error","message":"model 'fake-model' not found"}})")
        << 404 << "not_found_error"
        << "model 'fake-model' not found";
    QTest::newRow("rate limited")
        << 429 << QByteArray(R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})")
        << 429 << "rate_limit_error"
        << "slow down";
    QTest::newRow("overloaded")
        << 529 << QByteArray(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")
        << 529 << "overloaded_error"
        << "Overloaded";
    QTest::newRow("invalid request keeps its type")
        << 400
        << QByteArray(
               R"({"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate"}})")
        << 400 << "invalid_request_error"
        << "messages: roles must alternate";
    QTest::newRow("the backend's type wins over its status")
        << 500
        << QByteArray(R"({"type":"error","error":{"type":"overloaded_error","message":"model is loading"}})")
        << 529 << "overloaded_error"
        << "model is loading";
    QTest::newRow("not Anthropic-shaped")
        << 500 << QByteArray(R"({"error":"the fake backend failed on purpose"})") << 500 << "api_error"
        << "the fake backend failed on purpose";
}

void TestAnthropicNative::backendErrorsArePassedThroughWithTheirOrigin() {
    QFETCH(int, status);
    QFETCH(QByteArray, backendBody);
    QFETCH(int, expectedStatus);
    QFETCH(QString, expectedType);
    QFETCH(QString, expectedText);
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.status = status;
    reply.rawBody = backendBody;
    backend.enqueue(reply);
    startProxy(backend);
    const HttpResult result = post("/v1/messages", body(simpleRequest(true)));
    QCOMPARE(result.status, expectedStatus);
    QCOMPARE(result.errorType(), expectedType);
    const QString message = result.errorMessage();
    QVERIFY2(message.contains(expectedText), qPrintable(message));
    QVERIFY2(message.contains(backend.baseUrl()), qPrintable(message));
    QVERIFY2(message.contains("fake-model"), qPrintable(message));
    QVERIFY2(message.contains("Anthropic-compatible"), qPrintable(message));
}

void TestAnthropicNative::errorEventInsideTheStream() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.rawBody =
        "event: message_start\ndata: "
        "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
        "\"role\":\"assistant\",\"model\":\"fake-model\",\"content\":[],\"usage\":{\"input_tokens\":3,"
        "\"output_tokens\":1}}}\n\n"
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"GPU "
        "out of memory\"}}\n\n";
    reply.contentType = "text/event-stream";
    backend.enqueue(reply);
    startProxy(backend);
    const QList<SseEvent> events = parseSse(post("/v1/messages", body(simpleRequest(true))).body);
    QCOMPARE(streamProblem(events), QString());
    QCOMPARE(events.last().name, QString("error"));
    const QString message = events.last().data.value("error").toObject().value("message").toString();
    QVERIFY2(message.contains("GPU out of memory") && message.contains(backend.baseUrl()),
             qPrintable(message));
    // The backend's own type: Claude Code treats an overloaded backend differently from a broken one.
    QCOMPARE(events.last().data.value("error").toObject().value("type").toString(),
             QString("overloaded_error"));
}

// Issue #12, item 5: with no model map the name passes through; the client's anthropic-version,
// anthropic-beta, ?beta=true and, when the profile has no key, its credentials reach the backend.
void TestAnthropicNative::passthroughInFrontOfAnAnthropicServer() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"ok"};
    backend.enqueue(reply);
    backend.enqueue(reply);
    QVERIFY(m_proxy->start(backend, [](ProxyConfig &c) {
        c.modelMap = ModelMap{};
        c.accessToken = "relay-token";
    }));
    auto send = [&](const QByteArray &apiKey, const QByteArray &authorization) {
        QNetworkRequest request(QUrl(m_proxy->address() + "/v1/messages?beta=true"));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        request.setRawHeader("anthropic-version", "2023-06-01");
        request.setRawHeader("anthropic-beta",
                             "interleaved-thinking-2025-05-14,context-management-2025-06-27");
        request.setRawHeader("x-api-key", apiKey);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QNetworkReply *answer = m_client->post(request, body(simpleRequest(true)));
        QVERIFY(QTest::qWaitFor([&] { return answer->isFinished(); }, 10000));
        QCOMPARE(answer->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        answer->deleteLater();
    };
    // The relay's own token opens the relay and goes no further; the client's key goes on.
    send("relay-token", "Bearer sk-ant-client-key");
    QCOMPARE(backend.requests().size(), 1);
    FakeBackend::Recorded got = backend.requests().first();
    QCOMPARE(got.json().value("model").toString(), QString("claude-sonnet-4-5"));
    QCOMPARE(got.path, QByteArray("/v1/messages?beta=true"));
    QCOMPARE(got.headers.value("anthropic-beta"),
             QByteArray("interleaved-thinking-2025-05-14,context-management-2025-06-27"));
    QCOMPARE(got.headers.value("anthropic-version"), QByteArray("2023-06-01"));
    QCOMPARE(got.headers.value("authorization"), QByteArray("Bearer sk-ant-client-key"));
    QVERIFY(!got.headers.contains("x-api-key"));
    QVERIFY(QTest::qWaitFor([&] { return !m_proxy->records().isEmpty(); }, 5000));
    QVERIFY(m_proxy->records().last().notes.join('\n').contains("client's own credentials were forwarded"));
    QVERIFY(!m_proxy->records().last().notes.join('\n').contains("sk-ant-client-key"));

    // A profile with its own key sends that one, never the client's.
    m_proxy.reset();
    m_proxy = std::make_unique<ProxyUnderTest>();
    QVERIFY(m_proxy->start(backend, [](ProxyConfig &c) {
        c.modelMap = ModelMap{};
        c.backend.apiKey = "sk-profile";
    }));
    send("sk-ant-client-key", {});
    got = backend.requests().last();
    QCOMPARE(got.headers.value("x-api-key"), QByteArray("sk-profile"));
    QCOMPARE(got.headers.value("authorization"), QByteArray("Bearer sk-profile"));
}

// The client's credentials are for Anthropic-compatible servers only.
void TestAnthropicNative::otherKindsNeverGetTheClientsCredentials_data() {
    QTest::addColumn<FakeBackend::Kind>("kind");
    QTest::newRow("openai") << FakeBackend::Kind::OpenAI;
    QTest::newRow("ollama") << FakeBackend::Kind::Ollama;
}

void TestAnthropicNative::otherKindsNeverGetTheClientsCredentials() {
    QFETCH(FakeBackend::Kind, kind);
    FakeBackend backend(kind);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"ok"};
    backend.enqueue(reply);
    QVERIFY(m_proxy->start(backend, [](ProxyConfig &c) { c.modelMap.defaultModel = "fake-model"; }));
    QNetworkRequest request(QUrl(m_proxy->address() + "/v1/messages"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setRawHeader("x-api-key", "sk-ant-client-key");
    request.setRawHeader("Authorization", "Bearer sk-ant-client-key");
    request.setRawHeader("anthropic-beta", "interleaved-thinking-2025-05-14");
    QNetworkReply *answer = m_client->post(request, body(simpleRequest(true)));
    QVERIFY(QTest::qWaitFor([&] { return answer->isFinished(); }, 10000));
    answer->deleteLater();
    QCOMPARE(backend.requests().size(), 1);
    const FakeBackend::Recorded got = backend.requests().first();
    for (auto it = got.headers.cbegin(); it != got.headers.cend(); ++it)
        QVERIFY2(!it.value().contains("sk-ant-client-key") && it.key() != "anthropic-beta",
                 it.key().constData());
}

void TestAnthropicNative::healthNamesTheKind() {
    FakeBackend backend(FakeBackend::Kind::Anthropic);
    QVERIFY(backend.listen());
    startProxy(backend);
    QNetworkReply *reply = m_client->get(QNetworkRequest(QUrl(m_proxy->address() + "/health")));
    QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 5000));
    const QJsonObject health = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    QCOMPARE(health.value("backend").toObject().value("kind").toString(), QString("anthropic"));
}

QTEST_GUILESS_MAIN(TestAnthropicNative)
#include "tst_anthropicnative.moc"
