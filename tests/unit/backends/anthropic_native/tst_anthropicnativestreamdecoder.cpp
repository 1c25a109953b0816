#include "DeltaFeeding.h"
#include "anthropic/MessageAccumulator.h"
#include "backends/anthropic_native/AnthropicNativeStreamDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

class TestAnthropicNativeStreamDecoder : public QObject {
    Q_OBJECT
private slots:
    void decodes_data();
    void decodes();
    void countsSkippedEvents();
    void backendSignatureReachesTheClient();
};

namespace {
// One SSE event the way Anthropic (and Ollama, llama.cpp, vLLM) write it.
QByteArray sseEvent(const QByteArray &type, const QByteArray &json) {
    return "event: " + type + "\ndata: " + json + "\n\n";
}
QByteArray messageStart(int inputTokens = 25, const QByteArray &extraUsage = {}) {
    return sseEvent(
        "message_start",
        R"({"type":"message_start","message":{"id":"msg_backend","type":"message","role":"assistant","model":"qwen3:8b","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":)" +
            QByteArray::number(inputTokens) + extraUsage + R"(,"output_tokens":1}}})");
}
QByteArray blockStart(int index, const QByteArray &block) {
    return sseEvent("content_block_start", R"({"type":"content_block_start","index":)" +
                                               QByteArray::number(index) + R"(,"content_block":)" + block +
                                               "}");
}
QByteArray blockDelta(int index, const QByteArray &delta) {
    return sseEvent("content_block_delta", R"({"type":"content_block_delta","index":)" +
                                               QByteArray::number(index) + R"(,"delta":)" + delta + "}");
}
QByteArray blockStop(int index) {
    return sseEvent("content_block_stop",
                    R"({"type":"content_block_stop","index":)" + QByteArray::number(index) + "}");
}
QByteArray messageDelta(const QByteArray &stopReason, int outputTokens = 9,
                        const QByteArray &stopSequence = "null") {
    return sseEvent("message_delta", R"({"type":"message_delta","delta":{"stop_reason":)" + stopReason +
                                         R"(,"stop_sequence":)" + stopSequence +
                                         R"(},"usage":{"output_tokens":)" + QByteArray::number(outputTokens) +
                                         "}}");
}
const QByteArray kPing = sseEvent("ping", R"({"type": "ping"})");
const QByteArray kStop = sseEvent("message_stop", R"({"type":"message_stop"})");
QByteArray text(int index, const QByteArray &first, const QByteArray &second) {
    return blockStart(index, R"({"type":"text","text":""})") +
           blockDelta(index, R"({"type":"text_delta","text":")" + first + R"("})") + kPing +
           blockDelta(index, R"({"type":"text_delta","text":")" + second + R"("})") + blockStop(index);
}
} // namespace

void TestAnthropicNativeStreamDecoder::decodes_data() {
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("backendError");

    QTest::newRow("text with usage") << messageStart() + kPing + text(0, "Hel", "lo, wörld ✓ 日本") +
                                            messageDelta(R"("end_turn")") + kStop
                                     << QStringList{"usage:in=25,out=-,cached=-", "text:Hello, wörld ✓ 日本",
                                                    "usage:in=-,out=9,cached=-", "finish:end_turn"}
                                     << "";
    QTest::newRow("thinking with signature, then text")
        << messageStart() + blockStart(0, R"({"type":"thinking","thinking":"","signature":""})") +
               blockDelta(0, R"({"type":"thinking_delta","thinking":"Let me "})") +
               blockDelta(0, R"({"type":"thinking_delta","thinking":"think."})") +
               blockDelta(0, R"({"type":"signature_delta","signature":"EqQBCkYIBxgCKkC"})") + blockStop(0) +
               text(1, "Ans", "wer") + messageDelta(R"("end_turn")", 30) + kStop
        << QStringList{"usage:in=25,out=-,cached=-", "reasoning:Let me think.",
                       "signature:EqQBCkYIBxgCKkC",  "text:Answer",
                       "usage:in=-,out=30,cached=-", "finish:end_turn"}
        << "";
    QTest::newRow("text then tool use with input_json_delta")
        << messageStart() + text(0, "Let me ", "read it.") +
               blockStart(1, R"({"type":"tool_use","id":"toolu_01A","name":"Read","input":{}})") +
               blockDelta(1, R"({"type":"input_json_delta","partial_json":""})") +
               blockDelta(1, R"({"type":"input_json_delta","partial_json":"{\"file_path\": \"/tmp/"})") +
               blockDelta(1, R"({"type":"input_json_delta","partial_json":"ö.txt\"}"})") + blockStop(1) +
               messageDelta(R"("tool_use")") + kStop
        << QStringList{"usage:in=25,out=-,cached=-", "text:Let me read it.",
                       "begin:0:toolu_01A:Read",     R"(args:0:{"file_path": "/tmp/ö.txt"})",
                       "usage:in=-,out=9,cached=-",  "finish:tool_use"}
        << "";
    QTest::newRow("two tools, numbered in order of appearance")
        << messageStart() + blockStart(0, R"({"type":"tool_use","id":"a","name":"Glob","input":{}})") +
               blockDelta(0, R"({"type":"input_json_delta","partial_json":"{\"q\":1}"})") + blockStop(0) +
               blockStart(1, R"({"type":"tool_use","id":"b","name":"Ls","input":{}})") + blockStop(1) +
               messageDelta(R"("tool_use")") + kStop
        << QStringList{"usage:in=25,out=-,cached=-", "begin:0:a:Glob", R"(args:0:{"q":1})", "begin:1:b:Ls",
                       "usage:in=-,out=9,cached=-",  "finish:tool_use"}
        << "";
    QTest::newRow("whole input in content_block_start")
        << blockStart(0, R"({"type":"tool_use","id":"w","name":"Bash","input":{"command":"ls"}})") +
               blockStop(0) + messageDelta(R"("tool_use")") + kStop
        << QStringList{"begin:0:w:Bash", R"(args:0:{"command":"ls"})", "usage:in=-,out=9,cached=-",
                       "finish:tool_use"}
        << "";
    QTest::newRow("cache reads and max_tokens")
        << messageStart(3, R"(,"cache_read_input_tokens":400,"cache_creation_input_tokens":0)") +
               text(0, "a", "b") + messageDelta(R"("max_tokens")", 2) + kStop
        << QStringList{"usage:in=3,out=-,cached=400", "text:ab", "usage:in=-,out=2,cached=-",
                       "finish:max_tokens"}
        << "";
    QTest::newRow("stop sequence") << text(0, "x", "y") +
                                          messageDelta(R"("stop_sequence")", 2, R"("</end>")") + kStop
                                   << QStringList{"text:xy", "usage:in=-,out=2,cached=-",
                                                  "finish:stop_sequence:</end>"}
                                   << "";
    QTest::newRow("refusal") << messageDelta(R"("refusal")", 0) + kStop
                             << QStringList{"usage:in=-,out=0,cached=-", "finish:refusal"} << "";
    QTest::newRow("message_stop without a stop reason")
        << text(0, "c", "d") + kStop << QStringList{"text:cd", "finish:end_turn"} << "";
    QTest::newRow("cut before the end")
        << messageStart() + text(0, "cu", "t") << QStringList{"usage:in=25,out=-,cached=-", "text:cut"} << "";
    QTest::newRow("error event mid-stream")
        << messageStart() + text(0, "e", "f") +
               sseEvent("error",
                        R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")
        << QStringList{"usage:in=25,out=-,cached=-", "text:ef"} << "Overloaded";
    QTest::newRow("CRLF line endings")
        << QByteArray(text(0, "a", "b") + messageDelta(R"("end_turn")") + kStop).replace("\n", "\r\n")
        << QStringList{"text:ab", "usage:in=-,out=9,cached=-", "finish:end_turn"} << "";
    QTest::newRow("data without event lines, comments, no space after colon")
        << QByteArray(": "
                      "hello\n\ndata:{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{"
                      "\"type\":\"text\",\"text\":\"hi\"}}\n\n"
                      "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n")
        << QStringList{"text:hi", "finish:end_turn"} << "";
    QTest::newRow("no blank lines between events")
        << QByteArray("data: "
                      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                      "\"text\":\"x\"}}\n"
                      "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n")
        << QStringList{"text:x", "finish:end_turn"} << "";
    QTest::newRow("redacted thinking and unknown blocks are left out")
        << blockStart(0, R"({"type":"redacted_thinking","data":"opaque"})") + blockStop(0) +
               blockStart(1, R"({"type":"server_tool_use","id":"s","name":"web_search","input":{}})") +
               blockStop(1) + text(2, "o", "k") + messageDelta(R"("end_turn")") + kStop
        << QStringList{"text:ok", "usage:in=-,out=9,cached=-", "finish:end_turn"} << "";
}

void TestAnthropicNativeStreamDecoder::decodes() {
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QFETCH(QString, backendError);
    Decoded whole;
    const QString disagreement =
        splitDisagreement([] { return std::make_unique<AnthropicNativeStreamDecoder>(); }, stream, &whole);
    QCOMPARE(whole.deltas, expected);
    QCOMPARE(whole.backendError, backendError);
    QVERIFY2(disagreement.isEmpty(), qPrintable(disagreement));
}

void TestAnthropicNativeStreamDecoder::countsSkippedEvents() {
    AnthropicNativeStreamDecoder decoder;
    std::vector<StreamDelta> out;
    decoder.feed("data: {not json\n\ndata: [1,2]\n\n", out);
    decoder.feed(text(0, "o", "k"), out);
    decoder.feed("data: {\"trunc", out);
    decoder.finish(out);
    QCOMPARE(decoder.skippedEvents(), 3);
    QCOMPARE(describeMerged(out), QStringList{"text:ok"});
    QVERIFY(decoder.backendError().isEmpty());
}

// The backend checks its own signature when the client sends the thinking back.
void TestAnthropicNativeStreamDecoder::backendSignatureReachesTheClient() {
    AnthropicNativeStreamDecoder decoder;
    std::vector<StreamDelta> deltas;
    decoder.feed(blockStart(0, R"({"type":"thinking","thinking":"","signature":""})") +
                     blockDelta(0, R"({"type":"thinking_delta","thinking":"hmm"})") +
                     blockDelta(0, R"({"type":"signature_delta","signature":"sig-from-backend"})") +
                     blockStop(0) + text(1, "a", "b") + messageDelta(R"("end_turn")") + kStop,
                 deltas);
    decoder.finish(deltas);
    MessageAccumulator accumulator("msg_1", "claude-sonnet-4-5", 10);
    for (const StreamDelta &delta : deltas)
        accumulator.add(delta);
    auto result = accumulator.finish();
    QVERIFY(std::holds_alternative<QByteArray>(result));
    const QJsonObject message = QJsonDocument::fromJson(std::get<QByteArray>(result)).object();
    QCOMPARE(message.value("model").toString(), QString("claude-sonnet-4-5"));
    const QJsonObject thinking = message.value("content").toArray().at(0).toObject();
    QCOMPARE(thinking.value("thinking").toString(), QString("hmm"));
    QCOMPARE(thinking.value("signature").toString(), QString("sig-from-backend"));
}

QTEST_APPLESS_MAIN(TestAnthropicNativeStreamDecoder)
#include "tst_anthropicnativestreamdecoder.moc"
