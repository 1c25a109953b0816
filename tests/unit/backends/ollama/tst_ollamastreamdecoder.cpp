#include "DeltaFeeding.h"
#include "backends/ollama/OllamaStreamDecoder.h"

#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

class TestOllamaStreamDecoder : public QObject {
    Q_OBJECT
private slots:
    void decodes_data();
    void decodes();
};

namespace {
QByteArray line(const QByteArray &message) {
    return R"({"model":"qwen3","created_at":"2026-11-25T05:00:00Z","message":)" + message +
           R"(,"done":false})"
           "\n";
}
QByteArray done(const QByteArray &reason = "stop") {
    return R"({"model":"qwen3","created_at":"2026-11-25T05:00:01Z","message":{"role":"assistant","content":""},"done":true,"done_reason":")" +
           reason +
           R"(","total_duration":1,"prompt_eval_count":1200,"eval_count":34})"
           "\n";
}
} // namespace

void TestOllamaStreamDecoder::decodes_data() {
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("backendError");

    QTest::newRow("text") << line(R"({"role":"assistant","content":"héllo "})") +
                                 line(R"({"role":"assistant","content":"✓ 日本"})") + done()
                          << QStringList{"text:héllo ✓ 日本", "usage:in=1200,out=34,cached=-",
                                         "finish:end_turn"}
                          << "";
    QTest::newRow("thinking then text")
        << line(R"({"role":"assistant","content":"","thinking":"Let me"})") +
               line(R"({"role":"assistant","content":"","thinking":" see."})") +
               line(R"({"role":"assistant","content":"Yes."})") + done()
        << QStringList{"reasoning:Let me see.", "text:Yes.", "usage:in=1200,out=34,cached=-",
                       "finish:end_turn"}
        << "";
    QTest::newRow("tool call")
        << line(
               R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"Read","arguments":{"file_path":"/tmp/a"}}}]})") +
               done()
        << QStringList{"begin:0::Read", R"(args:0:{"file_path":"/tmp/a"})", "usage:in=1200,out=34,cached=-",
                       "finish:tool_use"}
        << "";
    QTest::newRow("two tool calls in one line, with ids")
        << line(
               R"({"role":"assistant","content":"","tool_calls":[{"id":"call_a","function":{"name":"A","arguments":{"x":1}}},{"function":{"name":"B","arguments":{}}}]})") +
               done()
        << QStringList{"begin:0:call_a:A",
                       R"(args:0:{"x":1})",
                       "begin:1::B",
                       "args:1:{}",
                       "usage:in=1200,out=34,cached=-",
                       "finish:tool_use"}
        << "";
    QTest::newRow("length") << line(R"({"role":"assistant","content":"abc"})") + done("length")
                            << QStringList{"text:abc", "usage:in=1200,out=34,cached=-", "finish:max_tokens"}
                            << "";
    QTest::newRow("usage only with the counts sent")
        << line(R"({"role":"assistant","content":"u"})") +
               QByteArray(
                   R"({"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":7})"
                   "\n")
        << QStringList{"text:u", "usage:in=-,out=7,cached=-", "finish:end_turn"} << "";
    QTest::newRow("error line") << line(R"({"role":"assistant","content":"x"})") +
                                       QByteArray(R"({"error":"model runner has unexpectedly stopped"})"
                                                  "\n")
                                << QStringList{"text:x"} << "model runner has unexpectedly stopped";
    // Found by fuzz_ollama_stream: a later (even empty) error replaced the first one, so the
    // error reported depended on how the body was split.
    QTest::newRow("the first error stays")
        << line(R"({"role":"assistant","content":"x"})") + QByteArray(R"({"error":"model stopped"})"
                                                                      "\n"
                                                                      R"({"error":""})"
                                                                      "\n"
                                                                      R"({"error":"later"})"
                                                                      "\n")
        << QStringList{"text:x"} << "model stopped";
    QTest::newRow("an empty error still fails")
        << QByteArray(R"({"error":""})"
                      "\n")
        << QStringList{} << "the backend reported an error without a message";
    // A model (or server) that cut a multi-byte character must not lose the whole delta.
    QTest::newRow("invalid UTF-8 kept as U+FFFD")
        << line("{\"role\":\"assistant\",\"content\":\"\xe6\x97 half\"}") + done()
        << QStringList{QString("text:") + QChar(0xFFFD) + QChar(0xFFFD) + " half",
                       "usage:in=1200,out=34,cached=-", "finish:end_turn"}
        << "";
    QTest::newRow("garbage and blank lines")
        << "\n\nnot json\n" + line(R"({"role":"assistant","content":"ok"})") + "\n" + done()
        << QStringList{"text:ok", "usage:in=1200,out=34,cached=-", "finish:end_turn"} << "";
    QTest::newRow("CRLF")
        << QByteArray(line(R"({"role":"assistant","content":"r"})") + done()).replace("\n", "\r\n")
        << QStringList{"text:r", "usage:in=1200,out=34,cached=-", "finish:end_turn"} << "";
    QTest::newRow("no final newline")
        << line(R"({"role":"assistant","content":"s"})") + done().chopped(1)
        << QStringList{"text:s", "usage:in=1200,out=34,cached=-", "finish:end_turn"} << "";
    QTest::newRow("cut before done") << line(R"({"role":"assistant","content":"t"})") << QStringList{"text:t"}
                                     << "";
}

void TestOllamaStreamDecoder::decodes() {
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QFETCH(QString, backendError);
    Decoded whole;
    const QString disagreement =
        splitDisagreement([] { return std::make_unique<OllamaStreamDecoder>(); }, stream, &whole);
    QCOMPARE(whole.deltas, expected);
    QCOMPARE(whole.backendError, backendError);
    QVERIFY2(disagreement.isEmpty(), qPrintable(disagreement));
}

QTEST_APPLESS_MAIN(TestOllamaStreamDecoder)
#include "tst_ollamastreamdecoder.moc"
