// count_tokens through a real socket: an OpenAI-compatible backend's own tokenizer (vLLM or
// llama.cpp server) counts when it has one, detected once; without one, or when it hangs, the
// proxy answers with its estimate in time; an Ollama backend is never asked.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "backends/openai/TokenizerProbe.h"
#include "transport/TransportSelector.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <memory>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

QByteArray countBody(const QString &text, const QString &model = "claude-sonnet-4-5") {
    return QJsonDocument(
               QJsonObject{{"model", model},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", text}}}}})
        .toJson(QJsonDocument::Compact);
}

const QString kPrompt = QString("count these words please ").repeated(40);

} // namespace

class TestCountTokens : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void vllmCountsExactlyAndIsDetectedOnce();
    void llamaCppCountsWithTemplateOverhead();
    void noTokenizerFallsBackToTheEstimate();
    void hangingTokenizerAnswersWithinTheTimeout();
    void ollamaIsNeverAskedToTokenize();
    void routedRequestsAreCountedByTheirBackend();
    void probeTimesOutAsSet();
    void probeSendsTheBackendsAuthHeaders();
    void probeDetectsOnceUnderConcurrentCounts();

private:
    struct Counted {
        int status = 0;
        int inputTokens = -1;
        qint64 elapsedMs = 0;
    };
    Counted countTokens(const QString &model = "claude-sonnet-4-5");

    std::unique_ptr<ProxyUnderTest> m_proxy;
};

void TestCountTokens::init() {
    m_proxy = std::make_unique<ProxyUnderTest>();
}

void TestCountTokens::cleanup() {
    m_proxy.reset();
}

TestCountTokens::Counted TestCountTokens::countTokens(const QString &model) {
    const qsizetype recordsBefore = m_proxy->records().size();
    QElapsedTimer clock;
    clock.start();
    const auto e = m_proxy->post(countBody(kPrompt, model), "/v1/messages/count_tokens");
    Counted counted;
    if (!e->isDone())
        return counted;
    counted.elapsedMs = clock.elapsed();
    counted.status = e->status();
    counted.inputTokens = QJsonDocument::fromJson(e->body()).object().value("input_tokens").toInt(-1);
    if (!m_proxy->waitForRecords(recordsBefore + 1))
        qWarning("no request record within 5 s");
    return counted;
}

void TestCountTokens::vllmCountsExactlyAndIsDetectedOnce() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setTokenizer(FakeBackend::Tokenizer::Vllm, 137);
    QVERIFY(m_proxy->start(backend));

    for (int i = 0; i < 2; ++i) {
        const Counted counted = countTokens();
        QCOMPARE(counted.status, 200);
        QCOMPARE(counted.inputTokens, 137);
    }
    // vLLM answers the detection request itself: one request per count, both in the chat form.
    const auto requests = backend.tokenizeRequests();
    QCOMPARE(requests.size(), 2);
    for (const auto &request : requests) {
        const QJsonObject body = request.json();
        QCOMPARE(body.value("model").toString(), QString("fake-model"));
        QVERIFY(
            QJsonDocument(body.value("messages").toArray()).toJson().contains(kPrompt.trimmed().toUtf8()));
        QVERIFY(body.value("add_generation_prompt").toBool());
        QVERIFY(!body.contains("content"));
    }
    for (const auto &request : backend.requests()) // nothing was generated for a count
        QVERIFY2(!request.path.endsWith("/chat/completions"), request.path.constData());

    QCOMPARE(m_proxy->records().size(), 2);
    const RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.endpoint, QString("count_tokens"));
    QCOMPARE(record.tokenCountSource, QString("backend tokenizer"));
    QCOMPARE(record.estimatedInputTokens, 137);
    QCOMPARE(record.backendModel, QString("fake-model"));
    QVERIFY2(record.notes.join('\n').contains("vLLM"), qPrintable(record.notes.join('\n')));
}

void TestCountTokens::llamaCppCountsWithTemplateOverhead() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setTokenizer(FakeBackend::Tokenizer::LlamaCpp, 50);
    QVERIFY(m_proxy->start(backend));

    // One user message: 4 tokens of role markers, 3 for the answer prompt.
    const int expected = 50 + 1 * 4 + 3;
    QCOMPARE(countTokens().inputTokens, expected);
    QCOMPARE(backend.tokenizeRequests().size(), 2); // detection (chat form), then the text form
    QCOMPARE(countTokens().inputTokens, expected);
    const auto requests = backend.tokenizeRequests();
    QCOMPARE(requests.size(), 3); // known now: the text form only
    QVERIFY(requests.at(0).json().contains("messages"));
    for (int i : {1, 2}) {
        const QJsonObject body = requests.at(i).json();
        QVERIFY(body.value("content").toString().contains(kPrompt.trimmed()));
        QVERIFY(!body.contains("messages"));
    }
    const RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.tokenCountSource, QString("backend tokenizer"));
    QVERIFY2(record.notes.join('\n').contains("llama.cpp"), qPrintable(record.notes.join('\n')));
    QVERIFY2(record.notes.join('\n').contains("+ 7 tokens"), qPrintable(record.notes.join('\n')));
}

void TestCountTokens::noTokenizerFallsBackToTheEstimate() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    QVERIFY(m_proxy->start(backend)); // FakeBackend answers /tokenize with 404 by default

    const Counted first = countTokens();
    QCOMPARE(first.status, 200);
    QVERIFY(first.inputTokens > 100);
    RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.tokenCountSource, QString("estimate"));
    QCOMPARE(record.estimatedInputTokens, first.inputTokens);
    QVERIFY2(record.notes.join('\n').contains("no tokenizer endpoint"), qPrintable(record.notes.join('\n')));
    QVERIFY2(record.notes.join('\n').contains("HTTP 404"), qPrintable(record.notes.join('\n')));
    QCOMPARE(backend.tokenizeRequests().size(), 1);

    // Known now: not asked again.
    QCOMPARE(countTokens().inputTokens, first.inputTokens);
    QCOMPARE(backend.tokenizeRequests().size(), 1);
}

void TestCountTokens::hangingTokenizerAnswersWithinTheTimeout() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setTokenizer(FakeBackend::Tokenizer::Hangs);
    QVERIFY(m_proxy->start(backend));

    const Counted first = countTokens();
    QCOMPARE(first.status, 200);
    QVERIFY(first.inputTokens > 100);
    // The probe's default timeout is 2 s: the client must not wait much longer than that.
    QVERIFY2(first.elapsedMs < 3500, qPrintable(QString::number(first.elapsedMs)));
    const RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.tokenCountSource, QString("estimate"));
    QVERIFY2(record.notes.join('\n').contains("no answer within"), qPrintable(record.notes.join('\n')));

    // A backend that did not answer is treated as one without a tokenizer for a while.
    const Counted second = countTokens();
    QCOMPARE(second.inputTokens, first.inputTokens);
    QVERIFY2(second.elapsedMs < 1000, qPrintable(QString::number(second.elapsedMs)));
    QCOMPARE(backend.tokenizeRequests().size(), 1);
}

void TestCountTokens::ollamaIsNeverAskedToTokenize() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    backend.setTokenizer(FakeBackend::Tokenizer::Vllm, 137); // even if something answered there
    QVERIFY(m_proxy->start(backend));
    const Counted counted = countTokens();
    QCOMPARE(counted.status, 200);
    QVERIFY(counted.inputTokens > 100);
    QVERIFY(counted.inputTokens != 137);
    QVERIFY(backend.tokenizeRequests().isEmpty());
    QCOMPARE(m_proxy->lastRecord().tokenCountSource, QString("estimate"));
}

void TestCountTokens::routedRequestsAreCountedByTheirBackend() {
    // The active profile is Ollama; background requests go to a vLLM server by a routing rule.
    FakeBackend ollama(FakeBackend::Kind::Ollama);
    QVERIFY(ollama.listen());
    FakeBackend vllm(FakeBackend::Kind::OpenAI);
    QVERIFY(vllm.listen());
    vllm.setTokenizer(FakeBackend::Tokenizer::Vllm, 61);
    QVERIFY(m_proxy->start(ollama, [&](ProxyConfig &c) {
        BackendProfile profile;
        profile.name = "vLLM box";
        profile.kind = BackendKind::OpenAI;
        profile.baseUrl = QUrl(vllm.baseUrl());
        c.profiles = {c.backend, profile};
        c.routing.rules = {RouteRule{RequestClass::Background, {RouteTarget{"vLLM box", "small-model"}}}};
    }));

    QCOMPARE(countTokens("claude-haiku-4-5").inputTokens, 61);
    QCOMPARE(vllm.tokenizeRequests().size(), 1);
    QCOMPARE(vllm.tokenizeRequests().first().json().value("model").toString(), QString("small-model"));
    RequestRecord record = m_proxy->lastRecord();
    QCOMPARE(record.backendModel, QString("small-model"));
    QCOMPARE(record.route, QString("background"));
    QCOMPARE(record.tokenCountSource, QString("backend tokenizer"));

    // Not a background request: the active Ollama profile, never asked.
    QVERIFY(countTokens("claude-sonnet-4-5").inputTokens != 61);
    QCOMPARE(vllm.tokenizeRequests().size(), 1);
    QVERIFY(ollama.tokenizeRequests().isEmpty());
    record = m_proxy->lastRecord();
    QCOMPARE(record.backendModel, QString("fake-model"));
    QCOMPARE(record.tokenCountSource, QString("estimate"));
}

void TestCountTokens::probeTimesOutAsSet() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setTokenizer(FakeBackend::Tokenizer::Hangs);
    TransportSelector transport;
    TokenizerProbe probe(transport);
    probe.setTimeoutMs(200);
    std::optional<TokenizerProbe::Result> result;
    int calls = 0;
    QElapsedTimer clock;
    clock.start();
    const QJsonObject chat{{"model", "m"},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "hi"}}}}};
    probe.count(QUrl(backend.baseUrl()), {}, chat, [&](const TokenizerProbe::Result &r) {
        result = r;
        ++calls;
    });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!result->tokens);
    QVERIFY2(result->note.contains("no answer within 200 ms"), qPrintable(result->note));
    QTest::qWait(300);
    QCOMPARE(calls, 1);

    // Known as "none" until the retry interval passes; then asked again.
    result.reset();
    probe.count(QUrl(backend.baseUrl()), {}, chat, [&](const TokenizerProbe::Result &r) { result = r; });
    QVERIFY(result.has_value()); // answered at once
    QCOMPARE(backend.tokenizeRequests().size(), 1);
    probe.setRetryAfterMs(0);
    QTest::qWait(5);
    backend.setTokenizer(FakeBackend::Tokenizer::Vllm, 9);
    result.reset();
    probe.count(QUrl(backend.baseUrl()), {}, chat, [&](const TokenizerProbe::Result &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QCOMPARE(result->tokens, std::optional<int>(9));
    QCOMPARE(backend.tokenizeRequests().size(), 2);
}

void TestCountTokens::probeSendsTheBackendsAuthHeaders() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setTokenizer(FakeBackend::Tokenizer::Vllm, 3);
    TransportSelector transport;
    TokenizerProbe probe(transport);
    std::optional<TokenizerProbe::Result> result;
    probe.count(QUrl(backend.baseUrl()), {{"Authorization", "Bearer sk-test"}},
                QJsonObject{{"model", "m"}, {"messages", QJsonArray{}}},
                [&](const TokenizerProbe::Result &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QCOMPARE(result->tokens, std::optional<int>(3));
    QCOMPARE(backend.tokenizeRequests().size(), 1);
    QCOMPARE(backend.tokenizeRequests().first().headers.value("authorization"), QByteArray("Bearer sk-test"));
}

void TestCountTokens::probeDetectsOnceUnderConcurrentCounts() {
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setTokenizer(FakeBackend::Tokenizer::LlamaCpp, 10);
    TransportSelector transport;
    TokenizerProbe probe(transport);
    const QJsonObject chat{{"model", "m"},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "hi"}}}}};
    std::optional<TokenizerProbe::Result> first;
    std::optional<TokenizerProbe::Result> second;
    probe.count(QUrl(backend.baseUrl()), {}, chat, [&](const TokenizerProbe::Result &r) { first = r; });
    probe.count(QUrl(backend.baseUrl()), {}, chat, [&](const TokenizerProbe::Result &r) { second = r; });
    // The second one does not wait for the detection: it takes the estimate at once.
    QVERIFY(second.has_value());
    QVERIFY(!second->tokens);
    QVERIFY2(second->note.contains("still being detected"), qPrintable(second->note));
    QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 5000);
    QCOMPARE(first->tokens, std::optional<int>(10 + 4 + 3));
    QCOMPARE(backend.tokenizeRequests().size(), 2); // the chat form, then the text form
}

QTEST_GUILESS_MAIN(TestCountTokens)
#include "tst_counttokens.moc"
