// What the proxy learns about a backend's models and how it uses it: Ollama's context length
// from /api/show sizing num_ctx, warnings before a prompt is cut.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "server/ProxyService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

QByteArray requestBody(int maxTokens, const QString &text) {
    return QJsonDocument(
               QJsonObject{{"model", "claude-sonnet-4-5"},
                           {"max_tokens", maxTokens},
                           {"stream", true},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", text}}}}})
        .toJson(QJsonDocument::Compact);
}

int numCtxOf(const FakeBackend::Recorded &request) {
    return request.json().value("options").toObject().value("num_ctx").toInt();
}

} // namespace

class TestModelLimits : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void ollamaContextFollowsThePromptAndTheModel();
    void ollamaPromptTooLongForTheModelIsWarned();
    void ollamaWithoutApiShowStillWorks();
    void countTokensLearnsFromTheBackend();
    void refusedMaxTokensIsCappedRetriedAndRemembered_data();
    void refusedMaxTokensIsCappedRetriedAndRemembered();
    void unrelatedRefusalIsNotRetried();

private:
    std::unique_ptr<ProxyUnderTest> m_proxy;
};

void TestModelLimits::init() {
    m_proxy = std::make_unique<ProxyUnderTest>();
}

void TestModelLimits::cleanup() {
    m_proxy.reset();
}

void TestModelLimits::ollamaContextFollowsThePromptAndTheModel() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    backend.setOllamaContextLength(40960);
    QVERIFY(m_proxy->start(backend, [](ProxyConfig &c) { c.backend.ollamaContextSize = 65536; }));

    // A short request gets the smallest context, not the cap.
    QCOMPARE(m_proxy->post(requestBody(512, "hi"))->status(), 200);
    QCOMPARE(backend.showRequests().size(), 1);
    QCOMPARE(backend.showRequests().first().json().value("model").toString(), QString("fake-model"));
    QCOMPARE(numCtxOf(backend.requests().at(0)), 8192);

    // A large max_tokens needs more: the model's 40960 bounds it below the cap.
    QCOMPARE(m_proxy->post(requestBody(48000, "hi"))->status(), 200);
    QCOMPARE(numCtxOf(backend.requests().at(1)), 40960);

    // Smaller again: num_ctx stays (a change would make Ollama reload the model).
    QCOMPARE(m_proxy->post(requestBody(512, "hi"))->status(), 200);
    QCOMPARE(numCtxOf(backend.requests().at(2)), 40960);
    QCOMPARE(backend.showRequests().size(), 1); // asked once per model

    QTRY_COMPARE(m_proxy->records().size(), 3);
    const auto record = m_proxy->records().at(1);
    QVERIFY2(record.notes.join('\n').contains("num_ctx 40960"), qPrintable(record.notes.join('\n')));
    QVERIFY(record.warning.isEmpty());
}

void TestModelLimits::ollamaPromptTooLongForTheModelIsWarned() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    backend.setOllamaContextLength(8192);
    QVERIFY(m_proxy->start(backend));
    QSignalSpy logged(&m_proxy->service(), &ProxyService::logMessage);
    const QString longPrompt = QString("word ").repeated(12000); // ~12k tokens
    QCOMPARE(m_proxy->post(requestBody(1024, longPrompt))->status(), 200);
    QCOMPARE(numCtxOf(backend.requests().at(0)), 8192);
    QTRY_COMPARE(m_proxy->records().size(), 1);
    const auto record = m_proxy->records().first();
    QVERIFY2(record.warning.contains("model's 8192-token context"), qPrintable(record.warning));
    QVERIFY(record.warning.contains("fake-model"));
    QVERIFY(std::any_of(logged.begin(), logged.end(), [](const QList<QVariant> &args) {
        return args.at(0).value<LogLevel>() == LogLevel::Warn &&
               args.at(1).toString().contains("Ollama will cut it");
    }));
}

void TestModelLimits::ollamaWithoutApiShowStillWorks() {
    // An OpenAI-format server on Ollama's URL answers /api/show with 404: the proxy must go on
    // with the user's cap rather than fail the request.
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    FakeBackend ollama(FakeBackend::Kind::Ollama);
    QVERIFY(ollama.listen());
    ollama.enqueue(FakeBackend::Reply{});
    QVERIFY(m_proxy->start(ollama));
    QCOMPARE(m_proxy->post(requestBody(512, "hi"))->status(), 200);
    ProxyConfig config = m_proxy->service().config();
    config.backend.baseUrl = QUrl(QString("http://127.0.0.1:%1").arg(backend.port()));
    m_proxy->service().setConfig(config);
    const auto answer = m_proxy->post(requestBody(512, "hi"));
    // The OpenAI fake has no /api/chat either: the request fails, but on the chat call, with
    // the backend's 404 explained, not because /api/show failed.
    QCOMPARE(answer->status(), 404);
    QVERIFY2(answer->body().contains("Check the base URL"), answer->body().constData());
    QCOMPARE(backend.showRequests().size(), 1); // asked, got a 404 ...
    QCOMPARE(backend.requests().size(), 1);     // ... and went on to /api/chat
}

void TestModelLimits::countTokensLearnsFromTheBackend() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    QTemporaryDir dir;
    const QString learned = dir.filePath("learned.ini");
    QVERIFY(m_proxy->start(backend, [&](ProxyConfig &c) { c.learnedFile = learned; }));
    const QString prompt = QString("some words to count ").repeated(400); // a sample: 1000 tokens or more
    auto countTokens = [&] {
        const auto e = m_proxy->post(requestBody(100, prompt), "/v1/messages/count_tokens");
        if (!e->isDone())
            return -1;
        return QJsonDocument::fromJson(e->body()).object().value("input_tokens").toInt(-1);
    };
    const int before = countTokens();
    QVERIFY(before > 100);
    // The backend's tokenizer counts 50 % more than the estimate.
    for (int i = 0; i < 3; ++i) {
        FakeBackend::Reply reply;
        reply.text = {"ok"};
        reply.promptTokens = before * 3 / 2;
        backend.enqueue(reply);
        QCOMPARE(m_proxy->post(requestBody(100, prompt))->status(), 200);
    }
    QTRY_COMPARE(m_proxy->records().size(), 4);
    // Moved towards the backend's count, not all the way: three samples of this size are not yet
    // much evidence against a ratio of 1.
    const int after = countTokens();
    QVERIFY2(after > before * 11 / 10 && after < before * 3 / 2,
             qPrintable(QString("%1 -> %2").arg(before).arg(after)));
    QTRY_COMPARE(m_proxy->records().size(), 5);
    const auto record = m_proxy->records().last();
    QVERIFY2(record.notes.join('\n').contains("calibrated"), qPrintable(record.notes.join('\n')));

    // Learned for good: a new proxy on the same file starts calibrated.
    m_proxy.reset();
    m_proxy = std::make_unique<ProxyUnderTest>();
    QVERIFY(m_proxy->start(backend, [&](ProxyConfig &c) { c.learnedFile = learned; }));
    QCOMPARE(countTokens(), after);
}

int maxTokensOf(const FakeBackend::Recorded &request) {
    return request.json().value("max_tokens").toInt();
}

void TestModelLimits::refusedMaxTokensIsCappedRetriedAndRemembered_data() {
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestModelLimits::refusedMaxTokensIsCappedRetriedAndRemembered() {
    QFETCH(bool, stream);
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    QTemporaryDir dir;
    const QString learned = dir.filePath("learned.ini");
    QVERIFY(m_proxy->start(backend, [&](ProxyConfig &c) { c.learnedFile = learned; }));
    FakeBackend::Reply refusal;
    refusal.status = 400;
    refusal.rawBody =
        R"({"error":{"message":"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]","type":"invalid_request_error"}})";
    backend.enqueue(refusal);
    QJsonObject request = QJsonDocument::fromJson(requestBody(32000, "hi")).object();
    request["stream"] = stream;
    const auto answer = m_proxy->post(QJsonDocument(request).toJson(QJsonDocument::Compact));
    QCOMPARE(answer->status(), 200);
    QVERIFY2(answer->body().contains(" backend."), answer->body().constData());
    QCOMPARE(backend.requests().size(), 2);
    QCOMPARE(maxTokensOf(backend.requests().at(0)), 32000);
    QCOMPARE(maxTokensOf(backend.requests().at(1)), 8192);
    QTRY_COMPARE(m_proxy->records().size(), 1);
    const auto record = m_proxy->records().first();
    QCOMPARE(record.status, 200);
    QVERIFY2(record.notes.join('\n').contains("sent again with max_tokens 8192"),
             qPrintable(record.notes.join('\n')));

    // The next request is capped before it is sent, also by a proxy started later.
    QCOMPARE(m_proxy->post(requestBody(32000, "hi"))->status(), 200);
    QCOMPARE(backend.requests().size(), 3);
    QCOMPARE(maxTokensOf(backend.requests().at(2)), 8192);
    m_proxy.reset();
    m_proxy = std::make_unique<ProxyUnderTest>();
    QVERIFY(m_proxy->start(backend, [&](ProxyConfig &c) { c.learnedFile = learned; }));
    QCOMPARE(m_proxy->post(requestBody(32000, "hi"))->status(), 200);
    QCOMPARE(maxTokensOf(backend.requests().at(3)), 8192);
}

void TestModelLimits::unrelatedRefusalIsNotRetried() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    QVERIFY(m_proxy->start(backend));
    FakeBackend::Reply refusal;
    refusal.status = 400;
    refusal.rawBody =
        R"({"error":{"message":"messages: tool_call_id missing","type":"invalid_request_error"}})";
    backend.enqueue(refusal);
    const auto answer = m_proxy->post(requestBody(32000, "hi"));
    QCOMPARE(answer->status(), 400);
    QVERIFY(answer->body().contains("tool_call_id missing"));
    QCOMPARE(backend.requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestModelLimits)
#include "tst_modellimits.moc"
