// The whole self-test against the fake backends in-process: it passes against a model that
// behaves, names the failure when the model answers tool requests in plain text, tells "not
// supported" from "failed", and says so clearly when the backend is not there at all.
#include "FakeBackend.h"
#include "selftest/SelfTest.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

ProxyConfig configFor(BackendKind kind, const QString &baseUrl) {
    ProxyConfig config;
    config.backend.kind = kind;
    config.backend.name = "fake";
    config.backend.baseUrl = QUrl(baseUrl);
    config.modelMap.defaultModel = "fake-model";
    return config;
}

ProxyConfig configFor(const FakeBackend &backend) {
    return configFor(backend.kind() == FakeBackend::Kind::OpenAI ? BackendKind::OpenAI : BackendKind::Ollama,
                     backend.baseUrl());
}

QList<SelfTestResult> run(SelfTest &selfTest, const ProxyConfig &config) {
    QSignalSpy finished(&selfTest, &SelfTest::finished);
    selfTest.start(config);
    if (!finished.wait(30000))
        return {};
    return finished.first().first().value<QList<SelfTestResult>>();
}

QString describe(const QList<SelfTestResult> &results) {
    QStringList lines;
    for (const SelfTestResult &r : results)
        lines.append(r.capability + ": " + selfTestStatusName(r.status) + " " + r.detail);
    return lines.join("\n");
}

SelfTestResult resultFor(const QList<SelfTestResult> &results, const QString &capability) {
    for (const SelfTestResult &r : results) {
        if (r.capability == capability)
            return r;
    }
    return {};
}

} // namespace

class TestSelfTest : public QObject {
    Q_OBJECT
private slots:
    void passesAgainstAFakeBackendThatBehaves_data() {
        QTest::addColumn<bool>("ollama");
        QTest::newRow("openai") << false;
        QTest::newRow("ollama") << true;
    }
    void passesAgainstAFakeBackendThatBehaves() {
        QFETCH(bool, ollama);
        FakeBackend backend(ollama ? FakeBackend::Kind::Ollama : FakeBackend::Kind::OpenAI);
        QVERIFY(backend.listen());
        SelfTest selfTest;
        QSignalSpy each(&selfTest, &SelfTest::resultReady);
        const QList<SelfTestResult> results = run(selfTest, configFor(backend));

        const QStringList expected{"backend",     "plain-text",   "streaming", "tool-use",
                                   "tool-result", "count-tokens", "image",     "thinking"};
        QStringList capabilities;
        for (const SelfTestResult &r : results) {
            capabilities.append(r.capability);
            QVERIFY2(r.status == SelfTestStatus::Passed, qPrintable(describe(results)));
        }
        QCOMPARE(capabilities, expected);
        QCOMPARE(each.size(), expected.size()); // reported one by one, as they finish
        QVERIFY(allRequiredPassed(results));
        QCOMPARE(resultFor(results, "tool-use").detail,
                 QString(R"(called Read {"file_path":"/tmp/hello.txt"})"));
        QCOMPARE(resultFor(results, "tool-result").detail, QString(R"(continued: "The file says hello.")"));

        // What reached the backend is what Claude Code sends: the tool list, the tool result, the image.
        QJsonObject toolRequest, imageRequest;
        for (const FakeBackend::Recorded &r : backend.requests()) {
            const QJsonObject json = r.json();
            if (json.value("tools").toArray().size() == 3 && json.value("messages").toArray().size() == 2)
                toolRequest = json;
            if (r.body.contains("iVBORw0KGgo"))
                imageRequest = json;
        }
        QVERIFY2(!toolRequest.isEmpty(),
                 "the first-turn request with the tool list never reached the backend");
        QCOMPARE(toolRequest.value("stream").toBool(), true);
        QVERIFY(!imageRequest.isEmpty());
        if (ollama)
            QCOMPARE(
                imageRequest.value("messages").toArray().last().toObject().value("images").toArray().size(),
                1);
    }

    void modelThatAnswersToolRequestsInTextFailsToolUse() {
        FakeBackend backend(FakeBackend::Kind::Ollama);
        backend.setCallsTools(false);
        QVERIFY(backend.listen());
        SelfTest selfTest;
        const QList<SelfTestResult> results = run(selfTest, configFor(backend));
        QCOMPARE(results.size(), 8);
        const SelfTestResult toolUse = resultFor(results, "tool-use");
        QCOMPARE(toolUse.status, SelfTestStatus::Failed);
        QVERIFY2(toolUse.detail.startsWith("model answered the tool request in plain text: \"I would read"),
                 qPrintable(toolUse.detail));
        QCOMPARE(resultFor(results, "plain-text").status, SelfTestStatus::Passed);
        QVERIFY(!allRequiredPassed(results));
    }

    void backendThatSaysNotSupportedIsNotAFailure() {
        FakeBackend backend(FakeBackend::Kind::Ollama);
        QVERIFY(backend.listen());
        FakeBackend::Reply refusal;
        refusal.status = 400;
        refusal.rawBody = "{\"error\":\"\\\"fake-model\\\" does not support thinking\"}";
        backend.enqueue(refusal);
        SelfTest selfTest;
        QList<SelfTestScenario> thinkingOnly;
        for (const SelfTestScenario &s : SelfTestScenario::builtIn()) {
            if (s.capability == "thinking")
                thinkingOnly.append(s);
        }
        selfTest.setScenarios(thinkingOnly);
        const QList<SelfTestResult> results = run(selfTest, configFor(backend));
        QCOMPARE(results.size(), 2);
        QCOMPARE(results.at(1).status, SelfTestStatus::Unsupported);
        QVERIFY2(results.at(1).detail.contains("does not support thinking"),
                 qPrintable(results.at(1).detail));
        QVERIFY(allRequiredPassed(results)); // thinking is optional
    }

    void deadBackendFailsReachabilityAndSkipsTheRest() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        SelfTest selfTest;
        const QList<SelfTestResult> results =
            run(selfTest, configFor(BackendKind::OpenAI, QString("http://127.0.0.1:%1/v1").arg(port)));
        QCOMPARE(results.size(), 8);
        QCOMPARE(results.first().capability, QString("backend"));
        QCOMPARE(results.first().status, SelfTestStatus::Failed);
        QVERIFY2(results.first().detail.contains("connection refused"), qPrintable(results.first().detail));
        QVERIFY2(results.first().detail.contains(QString::number(port)), qPrintable(results.first().detail));
        for (const SelfTestResult &r : results.mid(1)) {
            QCOMPARE(r.status, SelfTestStatus::Skipped);
            QCOMPARE(r.detail, QString("skipped: the backend is not reachable"));
        }
        QVERIFY(!allRequiredPassed(results));
    }

    void aNewRunAbandonsTheOneBefore() {
        FakeBackend slow(FakeBackend::Kind::OpenAI);
        QVERIFY(slow.listen());
        FakeBackend::Reply late;
        late.firstByteDelayMs = 300;
        slow.enqueue(late); // the first run's plain-text answer arrives after the second run began
        FakeBackend backend(FakeBackend::Kind::Ollama);
        QVERIFY(backend.listen());
        SelfTest selfTest;
        QSignalSpy each(&selfTest, &SelfTest::resultReady);
        QSignalSpy finished(&selfTest, &SelfTest::finished);
        selfTest.start(configFor(slow));
        QTRY_VERIFY(!slow.requests().isEmpty() && slow.requests().last().path.endsWith("/chat/completions"));
        selfTest.start(configFor(backend));
        QVERIFY(finished.wait(30000));
        QTest::qWait(500); // room for anything the first run might still report
        QCOMPARE(finished.size(), 1);
        const QList<SelfTestResult> results = finished.first().first().value<QList<SelfTestResult>>();
        QCOMPARE(results.size(), 8);
        QVERIFY2(allRequiredPassed(results), qPrintable(describe(results)));
        QCOMPARE(each.size(), 1 + 8); // the first run's reachability, then the second run
    }

    void unmappedModelSaysHowToMapIt() {
        FakeBackend backend(FakeBackend::Kind::OpenAI);
        QVERIFY(backend.listen());
        ProxyConfig config = configFor(backend);
        config.modelMap.defaultModel.clear();
        SelfTest selfTest;
        const QList<SelfTestResult> results = run(selfTest, config);
        QCOMPARE(results.first().status, SelfTestStatus::Failed);
        QVERIFY2(results.first().detail.contains("set DEFAULT_MODEL"), qPrintable(results.first().detail));
        QVERIFY(backend.requests().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSelfTest)
#include "tst_selftest.moc"
