#include "SseStream.h"
#include "anthropic/MessageAccumulator.h"
#include "anthropic/StreamEncoder.h"

#include <QJsonArray>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

using Deltas = std::vector<StreamDelta>;
Q_DECLARE_METATYPE(Deltas)

class TestStreamEncoder : public QObject {
    Q_OBJECT
private slots:
    void exactBytesOfASimpleAnswer();
    void textIsEscapedAsQtEscapesIt_data();
    void textIsEscapedAsQtEscapesIt();
    void sequences_data();
    void sequences();
    void failLeavesTheOpenBlockOpen();
    void usageReporting();
    void accumulatorMatchesEncoder_data();
    void accumulatorMatchesEncoder();
    void accumulatorReportsErrors();
};

namespace {
// "start:0:text", "delta:0:text_delta:Hi", "stop:0", "message_delta:end_turn", "message_stop",
// "error:api_error"
QStringList summarize(const QList<SseEvent> &events) {
    QStringList out;
    for (const SseEvent &e : events) {
        const int index = e.data.value("index").toInt();
        if (e.name == "content_block_start") {
            const QJsonObject block = e.data.value("content_block").toObject();
            QString s = QString("start:%1:%2").arg(index).arg(block.value("type").toString());
            if (block.contains("name"))
                s += ":" + block.value("name").toString() + ":" + block.value("id").toString();
            out << s;
        } else if (e.name == "content_block_delta") {
            const QJsonObject d = e.data.value("delta").toObject();
            const QString type = d.value("type").toString();
            QString value = d.value("text").toString() + d.value("thinking").toString() +
                            d.value("partial_json").toString();
            if (type == "signature_delta")
                value = d.value("signature").toString().isEmpty() ? "EMPTY" : "signed";
            out << QString("delta:%1:%2:%3").arg(index).arg(type, value);
        } else if (e.name == "content_block_stop") {
            out << QString("stop:%1").arg(index);
        } else if (e.name == "message_delta") {
            out << "message_delta:" + e.data.value("delta").toObject().value("stop_reason").toString();
        } else if (e.name == "error") {
            out << "error:" + e.data.value("error").toObject().value("type").toString();
        } else {
            out << e.name;
        }
    }
    return out;
}

QByteArray encodeAll(const Deltas &deltas, StreamEncoder &encoder) {
    QByteArray bytes = encoder.start();
    for (const StreamDelta &d : deltas)
        bytes += encoder.encode(d);
    return bytes + encoder.finish();
}
} // namespace

void TestStreamEncoder::exactBytesOfASimpleAnswer() {
    StreamEncoder encoder("msg_1", "claude-sonnet-4-5", 42);
    const QByteArray bytes =
        encodeAll({StreamDelta::textFragment("Hi"), StreamDelta::finish(StopReason::EndTurn),
                   StreamDelta::usageReport(Usage{10, 3, std::nullopt})},
                  encoder);
    const QByteArray expected =
        "event: message_start\n"
        R"(data: {"message":{"content":[],"id":"msg_1","model":"claude-sonnet-4-5","role":"assistant","stop_reason":null,"stop_sequence":null,"type":"message","usage":{"input_tokens":42,"output_tokens":0}},"type":"message_start"})"
        "\n\n"
        "event: content_block_start\n"
        R"(data: {"content_block":{"text":"","type":"text"},"index":0,"type":"content_block_start"})"
        "\n\n"
        "event: content_block_delta\n"
        R"(data: {"delta":{"text":"Hi","type":"text_delta"},"index":0,"type":"content_block_delta"})"
        "\n\n"
        "event: content_block_stop\n"
        R"(data: {"index":0,"type":"content_block_stop"})"
        "\n\n"
        "event: message_delta\n"
        R"(data: {"delta":{"stop_reason":"end_turn","stop_sequence":null},"type":"message_delta","usage":{"input_tokens":10,"output_tokens":3}})"
        "\n\n"
        "event: message_stop\n"
        R"(data: {"type":"message_stop"})"
        "\n\n";
    QCOMPARE(bytes, expected);
    QVERIFY(encoder.isComplete());
    QVERIFY(encoder.encode(StreamDelta::textFragment("late")).isEmpty());
    QVERIFY(encoder.finish().isEmpty());
}

void TestStreamEncoder::textIsEscapedAsQtEscapesIt_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QStringLiteral("Hello, world");
    QTest::newRow("quotes and backslashes") << QStringLiteral("say \"hi\" C:\\dir\\");
    QTest::newRow("control characters")
        << QStringLiteral("a\nb\r\tc\bd\fe") + QChar(0x01) + QChar(0x1f) + QChar(0x7f);
    QTest::newRow("accents and CJK") << QStringLiteral("caf\u00e9 \u4f60\u597d \u00a0\u2028");
    QTest::newRow("emoji") << QStringLiteral("ok \U0001F600!");
    QTest::newRow("lone surrogates") << QString(QChar(0xd83d)) + QStringLiteral("x") + QChar(0xde00);
    QTest::newRow("empty") << QString();
}

// Text deltas are written by hand on the hot path; their bytes must be those Qt would write.
void TestStreamEncoder::textIsEscapedAsQtEscapesIt() {
    QFETCH(QString, text);
    StreamEncoder encoder("msg_1", "m", 1);
    encoder.start();
    encoder.encode(StreamDelta::textFragment("first"));
    const QByteArray bytes = encoder.encode(StreamDelta::textFragment(text));
    const QJsonObject expected{{"type", "content_block_delta"},
                               {"index", 0},
                               {"delta", QJsonObject{{"type", "text_delta"}, {"text", text}}}};
    if (text.isEmpty()) {
        QVERIFY(bytes.isEmpty());
        return;
    }
    QCOMPARE(bytes, "event: content_block_delta\ndata: " +
                        QJsonDocument(expected).toJson(QJsonDocument::Compact) + "\n\n");
    StreamEncoder tools("msg_1", "m", 1);
    tools.start();
    tools.encode(StreamDelta::toolCallBegin(0, "toolu_1", text)); // ids are made plain ASCII
    tools.encode(StreamDelta::toolCallArgs(0, "{}"));
    tools.encode(StreamDelta::finish(StopReason::ToolUse));
    const QByteArray end = tools.finish();
    const QJsonObject block{
        {"type", "tool_use"}, {"id", "toolu_1"}, {"name", text}, {"input", QJsonObject()}};
    QVERIFY(end.startsWith(
        "event: content_block_start\ndata: " +
        QJsonDocument(QJsonObject{{"type", "content_block_start"}, {"index", 0}, {"content_block", block}})
            .toJson(QJsonDocument::Compact) +
        "\n\n"));
}

void TestStreamEncoder::sequences_data() {
    QTest::addColumn<Deltas>("deltas");
    QTest::addColumn<QStringList>("expected");
    using D = StreamDelta;
    QTest::newRow("reasoning then text")
        << Deltas{D::reasoningFragment("Think"), D::reasoningFragment("ing"), D::textFragment("Hello"),
                  D::textFragment(""), D::finish(StopReason::EndTurn)}
        << QStringList{"message_start",
                       "start:0:thinking",
                       "delta:0:thinking_delta:Think",
                       "delta:0:thinking_delta:ing",
                       "delta:0:signature_delta:signed",
                       "stop:0",
                       "start:1:text",
                       "delta:1:text_delta:Hello",
                       "stop:1",
                       "message_delta:end_turn",
                       "message_stop"};
    QTest::newRow("text then two tool calls")
        << Deltas{D::textFragment("Reading."),           D::toolCallBegin(0, "call_a", "Read"),
                  D::toolCallArgs(0, "{\"p\":"),         D::toolCallArgs(0, "1}"),
                  D::toolCallBegin(1, "call_b", "Glob"), D::toolCallArgs(1, "{}"),
                  D::finish(StopReason::ToolUse)}
        << QStringList{"message_start",
                       "start:0:text",
                       "delta:0:text_delta:Reading.",
                       "stop:0",
                       "start:1:tool_use:Read:call_a",
                       "delta:1:input_json_delta:{\"p\":1}",
                       "stop:1",
                       "start:2:tool_use:Glob:call_b",
                       "delta:2:input_json_delta:{}",
                       "stop:2",
                       "message_delta:tool_use",
                       "message_stop"};
    QTest::newRow("interleaved tool fragments")
        << Deltas{D::toolCallBegin(0, "a", "A"), D::toolCallArgs(0, "{\"x\""),
                  D::toolCallBegin(1, "b", "B"), D::toolCallArgs(1, "{\"y\":2}"),
                  D::toolCallArgs(0, ":1}"),     D::finish(StopReason::ToolUse)}
        << QStringList{"message_start", "start:0:tool_use:A:a",   "delta:0:input_json_delta:{\"x\":1}",
                       "stop:0",        "start:1:tool_use:B:b",   "delta:1:input_json_delta:{\"y\":2}",
                       "stop:1",        "message_delta:tool_use", "message_stop"};
    QTest::newRow("empty arguments become an empty object")
        << Deltas{D::toolCallBegin(0, "a", "Now"), D::finish(StopReason::ToolUse)}
        << QStringList{"message_start", "start:0:tool_use:Now:a", "delta:0:input_json_delta:{}",
                       "stop:0",        "message_delta:tool_use", "message_stop"};
    QTest::newRow("finish says stop but tools were called")
        << Deltas{D::toolCallBegin(0, "a", "A"), D::toolCallArgs(0, "{}"), D::finish(StopReason::EndTurn)}
        << QStringList{"message_start", "start:0:tool_use:A:a",   "delta:0:input_json_delta:{}",
                       "stop:0",        "message_delta:tool_use", "message_stop"};
    QTest::newRow("finish says tool_use but no tool was called")
        << Deltas{D::textFragment("x"), D::finish(StopReason::ToolUse)}
        << QStringList{"message_start", "start:0:text",           "delta:0:text_delta:x",
                       "stop:0",        "message_delta:end_turn", "message_stop"};
    QTest::newRow("bad tool arguments end in an error")
        << Deltas{D::textFragment("x"), D::toolCallBegin(0, "a", "A"), D::toolCallArgs(0, "{\"broken"),
                  D::finish(StopReason::ToolUse)}
        << QStringList{"message_start", "start:0:text", "delta:0:text_delta:x", "error:api_error"};
    QTest::newRow("arguments that are an array end in an error")
        << Deltas{D::toolCallBegin(0, "a", "A"), D::toolCallArgs(0, "[1]"), D::finish(StopReason::ToolUse)}
        << QStringList{"message_start", "error:api_error"};
    QTest::newRow("no finish: the answer was cut")
        << Deltas{D::textFragment("half")}
        << QStringList{"message_start", "start:0:text", "delta:0:text_delta:half", "error:api_error"};
    QTest::newRow("a tool call without a name ends in an error")
        << Deltas{D::textFragment("x"), D::toolCallBegin(0, "a", ""), D::toolCallArgs(0, "{}"),
                  D::finish(StopReason::ToolUse)}
        << QStringList{"message_start", "start:0:text", "delta:0:text_delta:x", "error:api_error"};
    QTest::newRow("tool-use ids a client would refuse are made valid")
        << Deltas{D::toolCallBegin(0, "functions.Bash:0", "Bash"), D::toolCallArgs(0, "{}"),
                  D::finish(StopReason::ToolUse)}
        << QStringList{"message_start",
                       "start:0:tool_use:Bash:functions_Bash_0_a97d1507",
                       "delta:0:input_json_delta:{}",
                       "stop:0",
                       "message_delta:tool_use",
                       "message_stop"};
    QTest::newRow("max tokens") << Deltas{D::textFragment("a"), D::finish(StopReason::MaxTokens)}
                                << QStringList{"message_start",
                                               "start:0:text",
                                               "delta:0:text_delta:a",
                                               "stop:0",
                                               "message_delta:max_tokens",
                                               "message_stop"};
    QTest::newRow("nothing but a finish")
        << Deltas{D::finish(StopReason::EndTurn)}
        << QStringList{"message_start", "message_delta:end_turn", "message_stop"};
}

void TestStreamEncoder::sequences() {
    QFETCH(Deltas, deltas);
    QFETCH(QStringList, expected);
    StreamEncoder encoder("msg_x", "claude", 5);
    const QList<SseEvent> events = parseSse(encodeAll(deltas, encoder));
    QCOMPARE(summarize(events), expected);
    QCOMPARE(streamProblem(events), QString());
}

// Claude Code 2.1.331/2.1.332 retry the request without streaming when the error arrives inside
// the open block; had the block been closed, they take the text as a cut-off answer and re-prompt.
void TestStreamEncoder::failLeavesTheOpenBlockOpen() {
    StreamEncoder encoder("msg_x", "claude", 5);
    QByteArray bytes = encoder.start() + encoder.encode(StreamDelta::reasoningFragment("hm"));
    bytes += encoder.fail(ApiError::api("backend died", 502));
    const QList<SseEvent> events = parseSse(bytes);
    QCOMPARE(summarize(events), QStringList({"message_start", "start:0:thinking", "delta:0:thinking_delta:hm",
                                             "error:api_error"}));
    QCOMPARE(events.last().data.value("error").toObject().value("message").toString(),
             QString("backend died"));
    QVERIFY(encoder.isComplete());
    QVERIFY(encoder.finish().isEmpty());
}

void TestStreamEncoder::usageReporting() {
    StreamEncoder encoder("m", "c", 100);
    const QList<SseEvent> events = parseSse(encodeAll(
        {StreamDelta::textFragment("one two three"), StreamDelta::finish(StopReason::EndTurn)}, encoder));
    const QJsonObject usage = events.at(events.size() - 2).data.value("usage").toObject();
    QVERIFY(!usage.contains("input_tokens"));          // nothing reported: the message_start estimate stands
    QCOMPARE(usage.value("output_tokens").toInt(), 3); // estimated from the text
    QVERIFY(!encoder.usage().outputTokens);

    StreamEncoder cached("m", "c", 100);
    const QList<SseEvent> e2 =
        parseSse(encodeAll({StreamDelta::usageReport(Usage{50, std::nullopt, 20}),
                            StreamDelta::usageReport(Usage{std::nullopt, 9, std::nullopt}),
                            StreamDelta::finish(StopReason::EndTurn)},
                           cached));
    const QJsonObject u2 = e2.at(e2.size() - 2).data.value("usage").toObject();
    QCOMPARE(u2.value("input_tokens").toInt(), 50);
    QCOMPARE(u2.value("output_tokens").toInt(), 9);
    QCOMPARE(u2.value("cache_read_input_tokens").toInt(), 20);
}

void TestStreamEncoder::accumulatorMatchesEncoder_data() {
    sequences_data();
}

void TestStreamEncoder::accumulatorMatchesEncoder() {
    QFETCH(Deltas, deltas);
    QFETCH(QStringList, expected);
    if (expected.contains("error:api_error"))
        QSKIP("covered by accumulatorReportsErrors");
    StreamEncoder encoder("msg_x", "claude", 5);
    const QList<SseEvent> events = parseSse(encodeAll(deltas, encoder));
    MessageAccumulator accumulator("msg_x", "claude", 5);
    for (const StreamDelta &d : deltas)
        accumulator.add(d);
    const auto result = accumulator.finish();
    QVERIFY(std::holds_alternative<QByteArray>(result));
    const QJsonObject message = QJsonDocument::fromJson(std::get<QByteArray>(result)).object();
    QCOMPARE(message.value("id").toString(), QString("msg_x"));
    QCOMPARE(message.value("model").toString(), QString("claude"));
    QCOMPARE(message.value("role").toString(), QString("assistant"));

    // Rebuild the content the SSE stream describes and compare it block by block.
    QJsonArray fromStream;
    QJsonObject current;
    QString buffer;
    for (const SseEvent &e : events) {
        if (e.name == "content_block_start") {
            current = e.data.value("content_block").toObject();
            buffer.clear();
        } else if (e.name == "content_block_delta") {
            const QJsonObject d = e.data.value("delta").toObject();
            if (d.contains("signature"))
                current.insert("signature", d.value("signature"));
            buffer += d.value("text").toString() + d.value("thinking").toString() +
                      d.value("partial_json").toString();
        } else if (e.name == "content_block_stop") {
            const QString type = current.value("type").toString();
            if (type == "text")
                current.insert("text", buffer);
            else if (type == "thinking")
                current.insert("thinking", buffer);
            else
                current.insert("input", QJsonDocument::fromJson(buffer.toUtf8()).object());
            fromStream.append(current);
        }
    }
    QCOMPARE(message.value("content").toArray(), fromStream);
    QCOMPARE(message.value("stop_reason").toString(),
             events.at(events.size() - 2).data.value("delta").toObject().value("stop_reason").toString());
}

void TestStreamEncoder::accumulatorReportsErrors() {
    MessageAccumulator cut("m", "c", 1);
    cut.add(StreamDelta::textFragment("half"));
    auto result = cut.finish();
    QVERIFY(std::holds_alternative<ApiError>(result));
    QVERIFY(std::get<ApiError>(result).message.contains("before it was complete"));

    MessageAccumulator bad("m", "c", 1);
    bad.add(StreamDelta::toolCallBegin(0, "a", "Write"));
    bad.add(StreamDelta::toolCallArgs(0, "{\"content\": \"unterminated"));
    bad.add(StreamDelta::finish(StopReason::ToolUse));
    result = bad.finish();
    QVERIFY(std::holds_alternative<ApiError>(result));
    QVERIFY(std::get<ApiError>(result).message.contains("'Write'"));

    MessageAccumulator generated("msg_same", "c", 1);
    generated.add(StreamDelta::toolCallBegin(0, QString(), "Read"));
    generated.add(StreamDelta::toolCallArgs(0, "{}"));
    generated.add(StreamDelta::finish(StopReason::ToolUse));
    const QString id = QJsonDocument::fromJson(std::get<QByteArray>(generated.finish()))
                           .object()
                           .value("content")
                           .toArray()
                           .at(0)
                           .toObject()
                           .value("id")
                           .toString();
    QVERIFY(id.startsWith("toolu_"));
    QCOMPARE(id.size(), 30);
}

QTEST_APPLESS_MAIN(TestStreamEncoder)
#include "tst_streamencoder.moc"
