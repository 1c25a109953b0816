#include "DeltaFeeding.h"
#include "backends/openai/OpenAiStreamDecoder.h"

#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

class TestOpenAiStreamDecoder : public QObject {
    Q_OBJECT
private slots:
    void decodes_data();
    void decodes();
    void countsSkippedLines();
};

namespace {
QByteArray chunk(const QByteArray &delta, const QByteArray &finish = "null") {
    return R"(data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":)" + delta +
           R"(,"finish_reason":)" + finish + "}]}\n\n";
}
const QByteArray kUsage =
    R"(data: {"id":"c1","choices":[],"usage":{"prompt_tokens":31,"completion_tokens":9,"prompt_tokens_details":{"cached_tokens":16}}})"
    "\n\n";
const QByteArray kDone = "data: [DONE]\n\n";
} // namespace

void TestOpenAiStreamDecoder::decodes_data() {
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("backendError");

    QTest::newRow("plain text")
        << chunk(R"({"role":"assistant","content":""})") + chunk(R"({"content":"Hel"})") +
               chunk(R"({"content":"lo, wörld ✓ 日本"})") + chunk("{}", "\"stop\"") + kUsage + kDone
        << QStringList{"text:Hello, wörld ✓ 日本", "finish:end_turn", "usage:in=31,out=9,cached=16"} << "";
    QTest::newRow("reasoning then text")
        << chunk(R"({"reasoning_content":"Think"})") + chunk(R"({"reasoning_content":"ing."})") +
               chunk(R"({"content":"Answer"})") + chunk("{}", "\"stop\"") + kDone
        << QStringList{"reasoning:Thinking.", "text:Answer", "finish:end_turn"} << "";
    QTest::newRow("openrouter reasoning field")
        << chunk(R"({"reasoning":"hmm"})") + chunk(R"({"content":"ok"})") + chunk("{}", "\"stop\"") + kDone
        << QStringList{"reasoning:hmm", "text:ok", "finish:end_turn"} << "";
    QTest::newRow("fragmented tool arguments")
        << chunk(
               R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"Read","arguments":""}}]})") +
               chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"file_"}}]})") +
               chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"path\": \"/tmp/a\"}"}}]})") +
               chunk("{}", "\"tool_calls\"") + kUsage + kDone
        << QStringList{"begin:0:call_1:Read", R"(args:0:{"file_path": "/tmp/a"})", "finish:tool_use",
                       "usage:in=31,out=9,cached=16"}
        << "";
    QTest::newRow("two tool calls in sequence")
        << chunk(R"({"content":"Reading both."})") +
               chunk(
                   R"({"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"Read","arguments":"{\"p\":1}"}}]})") +
               chunk(
                   R"({"tool_calls":[{"index":1,"id":"b","type":"function","function":{"name":"Glob","arguments":"{\"q\""}}]})") +
               chunk(R"({"tool_calls":[{"index":1,"function":{"arguments":":2}"}}]})") +
               chunk("{}", "\"tool_calls\"") + kDone
        << QStringList{"text:Reading both.", "begin:0:a:Read",    R"(args:0:{"p":1})",
                       "begin:1:b:Glob",     R"(args:1:{"q":2})", "finish:tool_use"}
        << "";
    QTest::newRow("interleaved by index")
        << chunk(
               R"({"tool_calls":[{"index":0,"id":"a","function":{"name":"A","arguments":"{\"x\""}},{"index":1,"id":"b","function":{"name":"B","arguments":"{\"y\""}}]})") +
               chunk(
                   R"({"tool_calls":[{"index":1,"function":{"arguments":":2}"}},{"index":0,"function":{"arguments":":1}"}}]})") +
               chunk("{}", "\"tool_calls\"") + kDone
        << QStringList{"begin:0:a:A",       R"(args:0:{"x")", "begin:1:b:B",
                       R"(args:1:{"y":2})", R"(args:0::1})",  "finish:tool_use"}
        << "";
    QTest::newRow("whole tool call without index")
        << chunk(
               R"({"tool_calls":[{"id":"z","type":"function","function":{"name":"Bash","arguments":"{\"command\":\"ls\"}"}}]})") +
               chunk("{}", "\"tool_calls\"") + kDone
        << QStringList{"begin:0:z:Bash", R"(args:0:{"command":"ls"})", "finish:tool_use"} << "";
    QTest::newRow("arguments empty then full")
        << chunk(
               R"({"tool_calls":[{"index":0,"id":"e","type":"function","function":{"name":"Write","arguments":""}}]})") +
               chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"path\":\"/ö\"}"}}]})") +
               chunk("{}", "\"tool_calls\"") + kDone
        << QStringList{"begin:0:e:Write", R"(args:0:{"path":"/ö"})", "finish:tool_use"} << "";
    QTest::newRow("id and name repeated in every fragment")
        << chunk(R"({"tool_calls":[{"index":0,"id":"r","function":{"name":"Grep","arguments":"{\"a\""}}]})") +
               chunk(
                   R"({"tool_calls":[{"index":0,"id":"r","function":{"name":"Grep","arguments":":1}"}}]})") +
               chunk("{}", "\"tool_calls\"") + kDone
        << QStringList{"begin:0:r:Grep", R"(args:0:{"a":1})", "finish:tool_use"} << "";
    QTest::newRow("name and id arrive in a later fragment")
        << chunk(R"({"tool_calls":[{"index":3,"function":{"arguments":""}}]})") +
               chunk(R"({"tool_calls":[{"index":3,"function":{"name":"Ls"}}]})") +
               chunk(R"({"tool_calls":[{"index":3,"id":"late","function":{"arguments":"{}"}}]})") +
               chunk("{}", "\"tool_calls\"") + kDone
        << QStringList{"begin:0::", "begin:0::Ls", "begin:0:late:Ls", "args:0:{}", "finish:tool_use"} << "";
    QTest::newRow("usage only last chunk, no DONE")
        << chunk(R"({"content":"x"})") + chunk("{}", "\"length\"") + kUsage
        << QStringList{"text:x", "finish:max_tokens", "usage:in=31,out=9,cached=16"} << "";
    QTest::newRow("missing DONE and finish")
        << chunk(R"({"content":"cut"})") << QStringList{"text:cut"} << "";
    QTest::newRow("DONE without finish reason")
        << chunk(R"({"content":"y"})") + kDone << QStringList{"text:y", "finish:end_turn"} << "";
    QTest::newRow("CRLF line endings")
        << QByteArray(chunk(R"({"content":"a"})") + chunk("{}", "\"stop\"") + kDone).replace("\n", "\r\n")
        << QStringList{"text:a", "finish:end_turn"} << "";
    QTest::newRow("comments and event fields")
        << ": keep-alive\n\nevent: message\nid: 7\nretry: 100\n" + chunk(R"({"content":"b"})") +
               ": ping\n\n" + chunk("{}", "\"stop\"")
        << QStringList{"text:b", "finish:end_turn"} << "";
    QTest::newRow("data without space")
        << QByteArray(R"(data:{"choices":[{"delta":{"content":"c"},"finish_reason":"stop"}]})"
                      "\n\n")
        << QStringList{"text:c", "finish:end_turn"} << "";
    QTest::newRow("vllm stop string")
        << chunk(R"({"content":"d"})") +
               QByteArray(
                   R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"</end>"}]})"
                   "\n\n")
        << QStringList{"text:d", "finish:stop_sequence:</end>"} << "";
    QTest::newRow("content filter") << chunk("{}", "\"content_filter\"") << QStringList{"finish:refusal"}
                                    << "";
    QTest::newRow("error object") << chunk(R"({"content":"e"})") +
                                         QByteArray(
                                             R"(data: {"error":{"message":"model crashed","code":500}})"
                                             "\n\n")
                                  << QStringList{"text:e"} << "model crashed";
    QTest::newRow("error string") << QByteArray(R"(data: {"error":"out of memory"})"
                                                "\n\n")
                                  << QStringList{} << "out of memory";
    // A server that cut a multi-byte character (or sent Latin-1) must not lose the whole delta.
    QTest::newRow("invalid UTF-8 kept as U+FFFD")
        << chunk("{\"content\":\"caf\xe9 ok\"}") + chunk(R"({"content":"!"})") + chunk("{}", "\"stop\"") +
               kDone
        << QStringList{QString("text:caf") + QChar(0xFFFD) + " ok!", "finish:end_turn"} << "";
    QTest::newRow("garbage line skipped")
        << "data: {not json\n\n" + chunk(R"({"content":"f"})") + chunk("{}", "\"stop\"")
        << QStringList{"text:f", "finish:end_turn"} << "";
    QTest::newRow("nothing after DONE")
        << chunk(R"({"content":"g"})") + kDone + chunk(R"({"content":"late"})")
        << QStringList{"text:g", "finish:end_turn"} << "";
}

void TestOpenAiStreamDecoder::decodes() {
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QFETCH(QString, backendError);
    Decoded whole;
    const QString disagreement =
        splitDisagreement([] { return std::make_unique<OpenAiStreamDecoder>(); }, stream, &whole);
    QCOMPARE(whole.deltas, expected);
    QCOMPARE(whole.backendError, backendError);
    QVERIFY2(disagreement.isEmpty(), qPrintable(disagreement));
}

void TestOpenAiStreamDecoder::countsSkippedLines() {
    OpenAiStreamDecoder decoder;
    std::vector<StreamDelta> out;
    decoder.feed("data: {not json\n\ndata: [1,2]\n\n: fine\n", out);
    decoder.feed(chunk(R"({"content":"ok"})"), out);
    decoder.feed("data: {\"trunc", out);
    decoder.finish(out);
    QCOMPARE(decoder.skippedLines(), 3);
    QCOMPARE(describeMerged(out), QStringList{"text:ok"});
    QVERIFY(decoder.backendError().isEmpty());
    QCOMPARE(decoder.notes(), QStringList{"skipped 3 line(s) of the backend's answer that were not JSON"});
    decoder.feed(chunk("{\"content\":\"\xff\"}"), out);
    QCOMPARE(decoder.notes().last(), QString("the backend sent invalid UTF-8 in 1 line(s): shown as U+FFFD"));
}

QTEST_APPLESS_MAIN(TestOpenAiStreamDecoder)
#include "tst_openaistreamdecoder.moc"
