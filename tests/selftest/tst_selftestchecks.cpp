// The self-test's judgements on answers it is handed: SSE streams well-formed or not, tool calls
// or plain text, errors that mean "not supported" versus failures, and the built-in scenarios.
#include "config/ConfigLoader.h"
#include "selftest/AnswerChecks.h"
#include "selftest/AnswerReader.h"
#include "selftest/SelfTestReport.h"
#include "selftest/SelfTestScenario.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace modelrelay;

namespace {

QByteArray sseEvent(const QByteArray &name, const QByteArray &json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
}

const QByteArray kStart =
    sseEvent("message_start", R"({"type":"message_start","message":{"id":"msg_1","type":"message",
"role":"assistant","content":[],"stop_reason":null,"usage":{"input_tokens":5,"output_tokens":0}}})");

QByteArray textBlock(int index, const QByteArray &text) {
    const QByteArray i = QByteArray::number(index);
    return sseEvent("content_block_start", R"({"type":"content_block_start","index":)" + i +
                                               R"(,"content_block":{"type":"text","text":""}})") +
           sseEvent("content_block_delta", R"({"type":"content_block_delta","index":)" + i +
                                               R"(,"delta":{"type":"text_delta","text":")" + text +
                                               R"("}})") +
           sseEvent("content_block_stop", R"({"type":"content_block_stop","index":)" + i + "}");
}

QByteArray toolBlock(int index, const QByteArray &name, const QList<QByteArray> &fragments) {
    const QByteArray i = QByteArray::number(index);
    QByteArray out =
        sseEvent("content_block_start", R"({"type":"content_block_start","index":)" + i +
                                            R"(,"content_block":{"type":"tool_use","id":"toolu_1","name":")" +
                                            name + R"(","input":{}}})");
    for (const QByteArray &f : fragments) {
        QByteArray escaped = f;
        escaped.replace("\"", "\\\"");
        out += sseEvent("content_block_delta", R"({"type":"content_block_delta","index":)" + i +
                                                   R"(,"delta":{"type":"input_json_delta","partial_json":")" +
                                                   escaped + R"("}})");
    }
    return out + sseEvent("content_block_stop", R"({"type":"content_block_stop","index":)" + i + "}");
}

QByteArray end(const QByteArray &stopReason) {
    return sseEvent("message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" + stopReason +
                                         R"(","stop_sequence":null},"usage":{"output_tokens":3}})") +
           sseEvent("message_stop", R"({"type":"message_stop"})");
}

const QJsonArray kTools = QJsonDocument::fromJson(R"([
 {"name":"Bash","input_schema":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}},
 {"name":"Read","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]}}
])")
                              .array();

} // namespace

class TestSelfTestChecks : public QObject {
    Q_OBJECT
private slots:
    void wellFormedStreamIsRead() {
        const QByteArray sse = kStart + sseEvent("ping", R"({"type":"ping"})") + textBlock(0, "Hello") +
                               toolBlock(1, "Read", {R"({"file_)", R"(path":"/tmp/hello.txt"})"}) +
                               end("tool_use");
        const ReadAnswer answer = AnswerReader::fromSse(200, sse);
        QVERIFY2(answer.isWellFormed(), qPrintable(answer.problem));
        QCOMPARE(answer.blocks.size(), 2);
        QCOMPARE(answer.text(), QString("Hello"));
        QCOMPARE(answer.firstToolUse()->toolName, QString("Read"));
        QCOMPARE(answer.firstToolUse()->toolInput, QByteArray(R"({"file_path":"/tmp/hello.txt"})"));
        QCOMPARE(answer.stopReason, QString("tool_use"));
        QCOMPARE(answer.eventCount, 11);
    }

    void crlfLineEndingsAreFine() {
        QByteArray sse = kStart + textBlock(0, "Hi") + end("end_turn");
        sse.replace("\n", "\r\n");
        QVERIFY2(AnswerReader::fromSse(200, sse).isWellFormed(),
                 qPrintable(AnswerReader::fromSse(200, sse).problem));
    }

    void malformedStreamsSayWhatIsWrong_data() {
        QTest::addColumn<QByteArray>("sse");
        QTest::addColumn<QString>("problem");
        const QByteArray textStart =
            sseEvent("content_block_start",
                     R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
        QTest::newRow("no message_start")
            << textBlock(0, "Hi") + end("end_turn")
            << "the stream starts with 'content_block_start' instead of message_start";
        QTest::newRow("no message_stop")
            << kStart + textBlock(0, "Hi") << "the stream ended without message_stop";
        QTest::newRow("block never stopped")
            << kStart + textStart + end("end_turn") << "message_delta arrived while block 0 was still open";
        QTest::newRow("index skips") << kStart + textBlock(1, "Hi") + end("end_turn")
                                     << "block index 1 where 0 was due";
        QTest::newRow("tool input not JSON")
            << kStart + toolBlock(0, "Read", {R"({"file_path":)"}) + end("tool_use")
            << R"(the input of the Read tool call is not a JSON object: {"file_path":)";
        QTest::newRow("error event")
            << kStart + textBlock(0, "Hi") +
                   sseEvent("error",
                            R"({"type":"error","error":{"type":"api_error","message":"backend hung up"}})")
            << "the stream ended with an error event: api_error: backend hung up";
        QTest::newRow("cut mid event")
            << kStart + textBlock(0, "Hi") + "event: message_delta\ndata: {\"type\""
            << "the stream ended without message_stop";
        QTest::newRow("empty") << QByteArray() << "the stream holds no events";
    }
    void malformedStreamsSayWhatIsWrong() {
        QFETCH(QByteArray, sse);
        QFETCH(QString, problem);
        const ReadAnswer answer = AnswerReader::fromSse(200, sse);
        QCOMPARE(answer.problem, problem);
        QCOMPARE(AnswerChecks::streaming(answer).status, SelfTestStatus::Failed);
    }

    void toolUseVerdicts_data() {
        QTest::addColumn<QByteArray>("sse");
        QTest::addColumn<SelfTestStatus>("status");
        QTest::addColumn<QString>("detail");
        QTest::newRow("calls Read") << kStart + toolBlock(0, "Read", {R"({"file_path":"/tmp/hello.txt"})"}) +
                                           end("tool_use")
                                    << SelfTestStatus::Passed
                                    << R"(called Read {"file_path":"/tmp/hello.txt"})";
        QTest::newRow("plain text")
            << kStart + textBlock(0, "I would read the file.") + end("end_turn") << SelfTestStatus::Failed
            << R"(model answered the tool request in plain text: "I would read the file.")";
        QTest::newRow("nothing") << kStart + end("end_turn") << SelfTestStatus::Failed
                                 << "model answered the tool request with nothing";
        QTest::newRow("unknown tool")
            << kStart + toolBlock(0, "Write", {"{}"}) + end("tool_use") << SelfTestStatus::Failed
            << "model called 'Write', a tool it was not offered";
        QTest::newRow("missing field")
            << kStart + toolBlock(0, "Bash", {R"({"cmd":"ls"})"}) + end("tool_use") << SelfTestStatus::Failed
            << R"(model called Bash without its required field 'command': {"cmd":"ls"})";
        QTest::newRow("wrong stop reason")
            << kStart + toolBlock(0, "Read", {R"({"file_path":"/a"})"}) + end("end_turn")
            << SelfTestStatus::Failed
            << "model called Read but the answer's stop_reason is 'end_turn', not tool_use (Claude Code "
               "would not run "
               "the tool)";
    }
    void toolUseVerdicts() {
        QFETCH(QByteArray, sse);
        QFETCH(SelfTestStatus, status);
        QFETCH(QString, detail);
        const SelfTestVerdict verdict = AnswerChecks::toolUse(AnswerReader::fromSse(200, sse), kTools);
        QCOMPARE(verdict.detail, detail);
        QCOMPARE(verdict.status, status);
    }

    void unsupportedIsNotAFailure_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<SelfTestStatus>("expected");
        QTest::newRow("ollama no tools")
            << 400
            << QByteArray(
                   R"({"type":"error","error":{"type":"invalid_request_error","message":"backend: registry.ollama.ai/library/gemma:2b does not support tools"}})")
            << SelfTestStatus::Unsupported;
        QTest::newRow("llama.cpp no images")
            << 400
            << QByteArray(
                   R"({"type":"error","error":{"type":"invalid_request_error","message":"image input is not supported - hint: if this is unexpected, you may need to provide the mmproj"}})")
            << SelfTestStatus::Unsupported;
        QTest::newRow("server error") << 502
                                      << QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                                                    "\"message\":\"backend refused the connection\"}}")
                                      << SelfTestStatus::Failed;
        QTest::newRow("not json") << 500 << QByteArray("oops") << SelfTestStatus::Failed;
    }
    void unsupportedIsNotAFailure() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(SelfTestStatus, expected);
        const ReadAnswer answer = AnswerReader::fromJson(status, body);
        QVERIFY(answer.isError());
        QCOMPARE(AnswerChecks::image(answer).status, expected);
        QCOMPARE(AnswerChecks::thinking(answer).status, expected);
        if (expected == SelfTestStatus::Failed)
            QVERIFY2(AnswerChecks::plainText(answer).detail.startsWith(QString("HTTP %1").arg(status)),
                     qPrintable(AnswerChecks::plainText(answer).detail));
        else
            QVERIFY(AnswerChecks::image(answer).detail.startsWith("the backend rejects images"));
    }

    void plainJsonAnswer() {
        const QByteArray ok =
            R"({"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Paris."}],
            "stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}})";
        QCOMPARE(AnswerChecks::plainText(AnswerReader::fromJson(200, ok)).status, SelfTestStatus::Passed);
        QCOMPARE(AnswerChecks::plainText(AnswerReader::fromJson(200, ok)).detail, QString(R"("Paris.")"));
        const QByteArray empty = R"({"type":"message","content":[],"stop_reason":"max_tokens"})";
        QCOMPARE(AnswerChecks::plainText(AnswerReader::fromJson(200, empty)).detail,
                 QString("the model's answer holds no text (stop_reason max_tokens)"));
        QCOMPARE(AnswerChecks::plainText(AnswerReader::fromJson(200, "<html>")).status,
                 SelfTestStatus::Failed);
    }

    void toolResultTurn() {
        QCOMPARE(AnswerChecks::toolResult(
                     AnswerReader::fromSse(200, kStart + textBlock(0, "It says hello.") + end("end_turn")))
                     .status,
                 SelfTestStatus::Passed);
        const SelfTestVerdict none =
            AnswerChecks::toolResult(AnswerReader::fromSse(200, kStart + end("end_turn")));
        QCOMPARE(none.status, SelfTestStatus::Failed);
        QCOMPARE(none.detail, QString("model gave no answer after the tool result (stop_reason end_turn)"));
    }

    void thinkingBlockIsNoticed() {
        const QByteArray thinking =
            sseEvent(
                "content_block_start",
                R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})") +
            sseEvent(
                "content_block_delta",
                R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"17*23"}})") +
            sseEvent(
                "content_block_delta",
                R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}})") +
            sseEvent("content_block_stop", R"({"type":"content_block_stop","index":0})");
        const SelfTestVerdict verdict = AnswerChecks::thinking(
            AnswerReader::fromSse(200, kStart + thinking + textBlock(1, "391") + end("end_turn")));
        QCOMPARE(verdict.status, SelfTestStatus::Passed);
        QVERIFY2(verdict.detail.startsWith("accepted, with a thinking block"), qPrintable(verdict.detail));
        QVERIFY(
            AnswerChecks::thinking(AnswerReader::fromSse(200, kStart + textBlock(0, "391") + end("end_turn")))
                .detail.startsWith("accepted; no thinking came back"));
    }

    void countTokensPlausibility_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<SelfTestStatus>("status");
        QTest::newRow("plausible") << QByteArray(R"({"input_tokens":2500})") << SelfTestStatus::Passed;
        QTest::newRow("zero") << QByteArray(R"({"input_tokens":0})") << SelfTestStatus::Failed;
        QTest::newRow("too few") << QByteArray(R"({"input_tokens":3})") << SelfTestStatus::Failed;
        QTest::newRow("more than bytes") << QByteArray(R"({"input_tokens":20000})") << SelfTestStatus::Failed;
        QTest::newRow("missing") << QByteArray(R"({"tokens":2500})") << SelfTestStatus::Failed;
    }
    void countTokensPlausibility() {
        QFETCH(QByteArray, body);
        QFETCH(SelfTestStatus, status);
        QCOMPARE(AnswerChecks::countTokens(200, body, 10000).status, status);
    }

    void modelAvailability() {
        QCOMPARE(AnswerChecks::modelAvailable(BackendKind::Ollama, {"qwen2.5:7b", "llama3:latest"}, "llama3")
                     .status,
                 SelfTestStatus::Passed);
        const SelfTestVerdict missing =
            AnswerChecks::modelAvailable(BackendKind::Ollama, {"llama3:latest"}, "qwen3:8b");
        QCOMPARE(missing.status, SelfTestStatus::Failed);
        QVERIFY2(missing.detail.contains("ollama pull qwen3:8b"), qPrintable(missing.detail));
        // llama.cpp serves its one model under any name: not a failure, but said.
        const SelfTestVerdict other =
            AnswerChecks::modelAvailable(BackendKind::OpenAI, {"gguf-file"}, "qwen3");
        QCOMPARE(other.status, SelfTestStatus::Passed);
        QVERIFY(other.detail.contains("not in the server's model list"));
    }

    void builtInScenariosCoverEveryCapability() {
        const QList<SelfTestScenario> scenarios = SelfTestScenario::builtIn();
        QStringList capabilities;
        for (const SelfTestScenario &s : scenarios)
            capabilities.append(s.capability);
        QCOMPARE(capabilities, QStringList({"plain-text", "streaming", "tool-use", "tool-result",
                                            "count-tokens", "image", "thinking"}));
        for (const SelfTestScenario &s : scenarios) {
            QVERIFY2(s.model().startsWith("claude-"), qPrintable(s.capability));
            if (s.capability == "tool-use") {
                QVERIFY(s.streams());
                QStringList tools;
                for (const QJsonValue &t : s.request.value("tools").toArray())
                    tools.append(t.toObject().value("name").toString());
                QCOMPARE(tools, QStringList({"Bash", "Read", "Edit"}));
            }
            if (s.capability == "image") {
                const QJsonObject image = s.request.value("messages")
                                              .toArray()
                                              .first()
                                              .toObject()
                                              .value("content")
                                              .toArray()
                                              .first()
                                              .toObject();
                QCOMPARE(image.value("type").toString(), QString("image"));
                QVERIFY(QByteArray::fromBase64(
                            image.value("source").toObject().value("data").toString().toLatin1())
                            .startsWith("\x89PNG"));
            }
        }
        QVERIFY(!scenarios.at(5).required); // image
        QVERIFY(!scenarios.at(6).required); // thinking
    }

    void selfTestFlagIsParsedAndDocumented() {
        QString error;
        const auto loaded = ConfigLoader::load({"modelrelay", "--self-test", "--default-model", "qwen3:8b"},
                                               QProcessEnvironment(), ProxyConfig(), &error);
        QVERIFY2(loaded, qPrintable(error));
        QVERIFY(loaded->launch.selfTest);
        QCOMPARE(loaded->config.modelMap.defaultModel, QString("qwen3:8b"));
        QVERIFY(!ConfigLoader::load({"modelrelay"}, QProcessEnvironment(), ProxyConfig(), &error)
                     ->launch.selfTest);
        QVERIFY(ConfigLoader::helpText().contains("--self-test"));
    }

    void reportTable() {
        SelfTestResult failed{"tool-use",
                              "Tool call",
                              true,
                              SelfTestStatus::Failed,
                              "model answered the tool request in plain text",
                              1500};
        SelfTestResult image{"image", "Image input", false, SelfTestStatus::Unsupported, "no vision", 200};
        QVERIFY(SelfTestReport::row(failed).contains("FAIL"));
        QVERIFY(SelfTestReport::row(failed).contains("1.5 s"));
        QVERIFY(SelfTestReport::row(image).contains("Image input (optional)"));
        QCOMPARE(SelfTestReport::summary({failed, image}),
                 QString("1 of 1 required capabilities did not pass: Tool call."));
        QVERIFY(!allRequiredPassed({failed, image}));
        failed.status = SelfTestStatus::Passed;
        QVERIFY(allRequiredPassed({failed, image}));
        QCOMPARE(SelfTestReport::summary({failed, image}), QString("All 1 required capabilities passed."));
    }
};

QTEST_GUILESS_MAIN(TestSelfTestChecks)
#include "tst_selftestchecks.moc"
