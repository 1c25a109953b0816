// Routing through real sockets: requests of a class go to the backend their rule names, and a
// backend that fails before answering (no connection, 429, 5xx) hands the request to the next
// one, visibly in the request record; other failures reach the client unchanged.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "SseStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QtTest>
#include <memory>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

QByteArray requestBody(bool stream, const QJsonValue &content = QStringLiteral("hello")) {
    return QJsonDocument(
               QJsonObject{{"model", "claude-sonnet-4-5"},
                           {"max_tokens", 1024},
                           {"stream", stream},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", content}}}}})
        .toJson(QJsonDocument::Compact);
}

BackendProfile profileFor(const QString &name, const FakeBackend &backend) {
    BackendProfile p = ProxyUnderTest::profileFor(backend);
    p.name = name;
    return p;
}

// A port where nothing listens: connections are refused at once.
quint16 closedPort() {
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

FakeBackend::Reply failing(int status, const QByteArray &message) {
    FakeBackend::Reply reply;
    reply.status = status;
    reply.rawBody = R"({"error":{"message":")" + message + R"(","type":"server_error"}})";
    return reply;
}

} // namespace

class TestRouting : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void deadBackendFallsBackToTheNext_data();
    void deadBackendFallsBackToTheNext();
    void overloadedOrBrokenBackendFallsBack_data();
    void overloadedOrBrokenBackendFallsBack();
    void clientErrorsDoNotFallBack();
    void whenEveryBackendFailsTheLastErrorIsAnswered();
    void imagesGoToTheVisionRule();

private:
    std::unique_ptr<ProxyUnderTest> m_proxy;
};

void TestRouting::init() {
    m_proxy = std::make_unique<ProxyUnderTest>();
}

void TestRouting::cleanup() {
    m_proxy.reset();
}

void TestRouting::deadBackendFallsBackToTheNext_data() {
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("deadIsOllama");
    QTest::newRow("streamed, dead OpenAI") << true << false;
    QTest::newRow("JSON, dead OpenAI") << false << false;
    QTest::newRow("streamed, dead Ollama") << true << true;
}

void TestRouting::deadBackendFallsBackToTheNext() {
    QFETCH(bool, stream);
    QFETCH(bool, deadIsOllama);
    FakeBackend spare(FakeBackend::Kind::OpenAI);
    QVERIFY(spare.listen());
    ProxyConfig config;
    config.backend.name = "Workstation";
    config.backend.kind = deadIsOllama ? BackendKind::Ollama : BackendKind::OpenAI;
    config.backend.baseUrl =
        QUrl(QString("http://127.0.0.1:%1%2").arg(closedPort()).arg(deadIsOllama ? "" : "/v1"));
    config.profiles = {config.backend, profileFor("Spare", spare)};
    config.modelMap.defaultModel = "qwen2.5-coder:32b";
    config.routing.fallbacks = {{"Spare", "spare-model"}};
    QVERIFY(m_proxy->start(config));

    const auto answer = m_proxy->post(requestBody(stream));
    QCOMPARE(answer->status(), 200);
    if (stream) {
        const QList<SseEvent> events = parseSse(answer->body());
        QCOMPARE(streamProblem(events), QString());
        QCOMPARE(events.last().name, QString("message_stop"));
    } else {
        QCOMPARE(QJsonDocument::fromJson(answer->body()).object().value("type").toString(),
                 QString("message"));
    }
    QCOMPARE(spare.requests().size(), 1);
    QCOMPARE(spare.requests().first().json().value("model").toString(), QString("spare-model"));

    const RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.status, 200);
    QCOMPARE(record.backendName, QString("Spare"));
    QCOMPARE(record.backendModel, QString("spare-model"));
    QCOMPARE(record.attempts.size(), 2);
    QCOMPARE(record.attempts.at(0).backendName, QString("Workstation"));
    QVERIFY2(record.attempts.at(0).outcome.contains("refused", Qt::CaseInsensitive),
             qPrintable(record.attempts.at(0).outcome));
    QCOMPARE(record.attempts.at(1).outcome, QString());
    QVERIFY(record.attempts.at(1).atMs >= record.attempts.at(0).atMs);
    QVERIFY2(record.notes.join('\n').contains("falling back to Spare"), qPrintable(record.notes.join('\n')));
}

void TestRouting::overloadedOrBrokenBackendFallsBack_data() {
    QTest::addColumn<int>("status");
    QTest::newRow("429") << 429;
    QTest::newRow("500") << 500;
    QTest::newRow("503") << 503;
}

void TestRouting::overloadedOrBrokenBackendFallsBack() {
    QFETCH(int, status);
    FakeBackend primary(FakeBackend::Kind::OpenAI);
    FakeBackend spare(FakeBackend::Kind::Ollama);
    QVERIFY(primary.listen());
    QVERIFY(spare.listen());
    primary.enqueue(failing(status, "busy right now"));
    ProxyConfig config;
    config.backend = profileFor("Cloud", primary);
    config.profiles = {config.backend, profileFor("Local", spare)};
    config.modelMap.defaultModel = "cloud-model";
    config.routing.fallbacks = {{"Local", "local-model"}};
    QVERIFY(m_proxy->start(config));

    const auto answer = m_proxy->post(requestBody(true));
    QCOMPARE(answer->status(), 200);
    QCOMPARE(streamProblem(parseSse(answer->body())), QString());
    QCOMPARE(primary.requests().size(), 1);
    QCOMPARE(spare.requests().size(), 1);
    const RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.attempts.size(), 2);
    QVERIFY2(record.attempts.first().outcome.startsWith(QString("HTTP %1").arg(status)),
             qPrintable(record.attempts.first().outcome));
    QVERIFY(record.attempts.first().outcome.contains("busy right now"));
    QCOMPARE(record.backendName, QString("Local"));
}

void TestRouting::clientErrorsDoNotFallBack() {
    FakeBackend primary(FakeBackend::Kind::OpenAI);
    FakeBackend spare(FakeBackend::Kind::OpenAI);
    QVERIFY(primary.listen());
    QVERIFY(spare.listen());
    primary.enqueue(failing(400, "messages: bad role"));
    ProxyConfig config;
    config.backend = profileFor("Cloud", primary);
    config.profiles = {config.backend, profileFor("Spare", spare)};
    config.modelMap.defaultModel = "m";
    config.routing.fallbacks = {{"Spare", "m"}};
    QVERIFY(m_proxy->start(config));

    const auto answer = m_proxy->post(requestBody(true));
    QCOMPARE(answer->status(), 400);
    QVERIFY2(answer->body().contains("bad role"), answer->body().constData());
    QCOMPARE(spare.requests().size(), 0);
    QCOMPARE(m_proxy->lastRecord().attempts.size(), 1);
}

void TestRouting::whenEveryBackendFailsTheLastErrorIsAnswered() {
    FakeBackend first(FakeBackend::Kind::OpenAI);
    FakeBackend second(FakeBackend::Kind::OpenAI);
    QVERIFY(first.listen());
    QVERIFY(second.listen());
    first.enqueue(failing(503, "first is down"));
    second.enqueue(failing(502, "second is down"));
    ProxyConfig config;
    config.backend = profileFor("One", first);
    config.profiles = {config.backend, profileFor("Two", second)};
    config.modelMap.defaultModel = "m";
    config.routing.fallbacks = {{"Two", "m"}};
    QVERIFY(m_proxy->start(config));

    const auto answer = m_proxy->post(requestBody(true));
    QCOMPARE(answer->status(), 502);
    const QJsonObject error = QJsonDocument::fromJson(answer->body()).object();
    QCOMPARE(error.value("type").toString(), QString("error"));
    QVERIFY(error.value("error").toObject().value("message").toString().contains("second is down"));
    const RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.attempts.size(), 2);
    QVERIFY(record.attempts.at(0).outcome.contains("first is down"));
    QCOMPARE(record.status, 502);
}

void TestRouting::imagesGoToTheVisionRule() {
    FakeBackend local(FakeBackend::Kind::Ollama);
    FakeBackend vision(FakeBackend::Kind::OpenAI);
    QVERIFY(local.listen());
    QVERIFY(vision.listen());
    ProxyConfig config;
    config.backend = profileFor("Local", local);
    config.profiles = {config.backend, profileFor("Vision", vision)};
    config.modelMap.defaultModel = "qwen2.5-coder:32b";
    config.routing.rules = {{RequestClass::Images, {{"Vision", "qwen2.5-vl"}}}};
    QVERIFY(m_proxy->start(config));

    const QJsonArray withImage{QJsonObject{{"type", "text"}, {"text", "what is this?"}},
                               QJsonObject{{"type", "image"},
                                           {"source", QJsonObject{{"type", "base64"},
                                                                  {"media_type", "image/png"},
                                                                  {"data", "iVBORw0KGgo="}}}}};
    QCOMPARE(m_proxy->post(requestBody(true, withImage))->status(), 200);
    QCOMPARE(vision.requests().size(), 1);
    QCOMPARE(vision.requests().first().json().value("model").toString(), QString("qwen2.5-vl"));
    QCOMPARE(local.requests().size(), 0);
    RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.route, QString("images"));
    QCOMPARE(record.backendName, QString("Vision"));

    // Without an image the same proxy keeps to the model map.
    m_proxy->clearRecords();
    QCOMPARE(m_proxy->post(requestBody(true))->status(), 200);
    QCOMPARE(local.requests().size(), 1);
    record = m_proxy->lastRecord();
    QCOMPARE(record.route, QString());
    QCOMPARE(record.backendName, QString("Local"));
}

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
