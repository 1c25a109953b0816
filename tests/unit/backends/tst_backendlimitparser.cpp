// Output limits read from real backends' refusals of a large max_tokens.
#include "backends/BackendLimitParser.h"

#include <QtTest>

using namespace modelrelay;

class TestBackendLimitParser : public QObject {
    Q_OBJECT
private slots:
    void rejection_data();
    void rejection();
};

void TestBackendLimitParser::rejection_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("limit"); // 0: none
    QTest::addColumn<bool>("perModel");
    QTest::newRow("DeepSeek range")
        << 400
        << QByteArray(
               R"({"error":{"message":"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]","type":"invalid_request_error"}})")
        << 8192 << true;
    QTest::newRow("OpenAI/Groq at most")
        << 400
        << QByteArray(
               R"({"error":{"message":"max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.","type":"invalid_request_error","param":"max_tokens"}})")
        << 16384 << true;
    QTest::newRow("vLLM context minus prompt (old)")
        << 400
        << QByteArray(
               R"({"object":"error","message":"This model's maximum context length is 32768 tokens. However, you requested 40100 tokens (8100 in the messages, 32000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","code":400})")
        << 24668 << false;
    QTest::newRow("vLLM context minus prompt (new)")
        << 400
        << QByteArray(
               R"({"error":{"message":"'max_tokens' or 'max_completion_tokens' is too large: 32000. This model's maximum context length is 32768 tokens and your request has 9000 input tokens (32000 > 32768 - 9000).","type":"BadRequestError"}})")
        << 23768 << false;
    QTest::newRow("must be at most") << 422
                                     << QByteArray(
                                            R"({"detail":"max_tokens must be less than or equal to 4096"})")
                                     << 4096 << true;
    QTest::newRow("prompt alone too long: nothing to cap")
        << 400
        << QByteArray(
               R"x({"error":{"message":"the request exceeds the available context size (40000 tokens > 32768)"}})x")
        << 0 << false;
    QTest::newRow("not a limit") << 400 << QByteArray(R"({"error":{"message":"messages: field required"}})")
                                 << 0 << false;
    QTest::newRow("server error") << 500 << QByteArray("valid range of max_tokens is [1, 8192]") << 0
                                  << false;
    QTest::newRow("limit not below the request")
        << 400 << QByteArray("the valid range of max_tokens is [1, 64000]") << 0 << false;
}

void TestBackendLimitParser::rejection() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, limit);
    QFETCH(bool, perModel);
    const auto parsed = BackendLimitParser::fromRejection(status, body, 32000);
    QCOMPARE(parsed ? parsed->maxOutputTokens : 0, limit);
    if (parsed)
        QCOMPARE(parsed->perModel, perModel);
}

QTEST_GUILESS_MAIN(TestBackendLimitParser)
#include "tst_backendlimitparser.moc"
