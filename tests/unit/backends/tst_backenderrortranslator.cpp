#include "backends/BackendErrorTranslator.h"

#include <QtTest>

using namespace modelrelay;

class TestBackendErrorTranslator : public QObject {
    Q_OBJECT
private slots:
    void httpStatus_data();
    void httpStatus();
    void networkErrors_data();
    void networkErrors();
    void excerpt_data();
    void excerpt();
    void streamErrorsNameTheBackend();
};

namespace {
BackendContext ollama() {
    return {BackendKind::Ollama, QStringLiteral("http://127.0.0.1:11434"),
            QStringLiteral("qwen2.5-coder:32b")};
}
BackendContext openai() {
    return {BackendKind::OpenAI, QStringLiteral("http://127.0.0.1:8080/v1"), QStringLiteral("gpt-oss")};
}
} // namespace

void TestBackendErrorTranslator::httpStatus_data() {
    QTest::addColumn<bool>("isOllama");
    QTest::addColumn<int>("backendStatus");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QStringList>("mustContain");

    QTest::newRow("ollama model missing")
        << true << 404 << QByteArray(R"({"error":"model 'qwen2.5-coder:32b' not found"})") << 404
        << "not_found_error"
        << QStringList{"Ollama backend at http://127.0.0.1:11434", "HTTP 404", "not found",
                       "ollama pull qwen2.5-coder:32b"};
    QTest::newRow("openai wrong base url")
        << false << 404 << QByteArray("<html><body><h1>Not Found</h1></body></html>") << 404
        << "not_found_error"
        << QStringList{"OpenAI-compatible backend at http://127.0.0.1:8080/v1", "Not Found", "/v1"};
    QTest::newRow("bad key") << false << 401
                             << QByteArray(R"({"error":{"message":"Invalid API key","type":"auth"}})") << 401
                             << "authentication_error"
                             << QStringList{"HTTP 401", "Invalid API key", "PROVIDER_API_KEY"};
    QTest::newRow("forbidden") << false << 403 << QByteArray(R"({"error":"no access"})") << 403
                               << "permission_error" << QStringList{"no access"};
    QTest::newRow("rate limit") << false << 429 << QByteArray(R"({"error":{"message":"slow down"}})") << 429
                                << "rate_limit_error" << QStringList{"slow down", "gpt-oss"};
    QTest::newRow("overloaded 503") << false << 503
                                    << QByteArray(R"({"error":{"message":"Loading model","code":503}})")
                                    << 529 << "overloaded_error" << QStringList{"Loading model", "busy"};
    QTest::newRow("server error") << true << 500
                                  << QByteArray(R"({"error":"llama runner process has terminated"})") << 500
                                  << "api_error" << QStringList{"llama runner process has terminated"};
    QTest::newRow("bad gateway") << false << 502 << QByteArray("upstream down") << 502 << "api_error"
                                 << QStringList{"upstream down"};
    QTest::newRow("max tokens too big")
        << false << 400
        << QByteArray(
               R"({"error":{"message":"max_tokens must be at most 8192","type":"invalid_request_error"}})")
        << 400 << "invalid_request_error"
        << QStringList{"max_tokens must be at most 8192", "max output tokens cap"};
    QTest::newRow("llama.cpp context")
        << false << 400
        << QByteArray(
               R"({"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":40321,"n_ctx":32768}})")
        << 400 << "invalid_request_error" << QStringList{"prompt is too long: 40321 tokens > 32768 maximum"};
    QTest::newRow("vllm context")
        << false << 400
        << QByteArray(
               R"({"object":"error","message":"This model's maximum context length is 32768 tokens. However, you requested 40000 tokens in the messages, Please reduce the length of the messages.","type":"BadRequestError"})")
        << 400 << "invalid_request_error" << QStringList{"prompt is too long: 40000 tokens > 32768 maximum"};
    QTest::newRow("reasoning effort refused")
        << false << 400
        << QByteArray(
               R"({"error":{"message":"Unsupported parameter: 'reasoning_effort' is not supported with this model."}})")
        << 400 << "invalid_request_error"
        << QStringList{"reasoning_effort", "MODELRELAY_REASONING_EFFORT=off"};
    QTest::newRow("unprocessable") << false << 422 << QByteArray(R"({"detail":"field required: messages"})")
                                   << 400 << "invalid_request_error"
                                   << QStringList{"field required: messages"};
}

void TestBackendErrorTranslator::httpStatus() {
    QFETCH(bool, isOllama);
    QFETCH(int, backendStatus);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QStringList, mustContain);

    const ApiError error =
        BackendErrorTranslator::fromHttpStatus(isOllama ? ollama() : openai(), backendStatus, body);
    QCOMPARE(error.httpStatus(), status);
    QCOMPARE(error.typeName(), type);
    for (const QString &part : mustContain)
        QVERIFY2(error.message.contains(part),
                 qPrintable(QStringLiteral("'%1' not in: %2").arg(part, error.message)));
    const QJsonObject json = QJsonDocument::fromJson(error.toJson()).object();
    QCOMPARE(json.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QCOMPARE(json.value(QLatin1String("error")).toObject().value(QLatin1String("type")).toString(), type);
    QCOMPARE(json.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString(),
             error.message);
}

void TestBackendErrorTranslator::networkErrors_data() {
    QTest::addColumn<int>("networkError");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("mustContain");
    QTest::newRow("refused") << int(QNetworkReply::ConnectionRefusedError) << 502
                             << QStringList{"could not connect", "http://127.0.0.1:11434",
                                            "connection refused", "ollama serve"};
    QTest::newRow("dns") << int(QNetworkReply::HostNotFoundError) << 502
                         << QStringList{"DNS", "PROVIDER_BASE_URL"};
    QTest::newRow("closed") << int(QNetworkReply::RemoteHostClosedError) << 502
                            << QStringList{"closed the connection"};
    QTest::newRow("tls") << int(QNetworkReply::SslHandshakeFailedError) << 502
                         << QStringList{"TLS handshake", "boom"};
    QTest::newRow("other") << int(QNetworkReply::ProtocolFailure) << 502 << QStringList{"failed: boom"};
}

void TestBackendErrorTranslator::networkErrors() {
    QFETCH(int, networkError);
    QFETCH(int, status);
    QFETCH(QStringList, mustContain);
    const ApiError error = BackendErrorTranslator::fromNetworkError(
        ollama(), static_cast<QNetworkReply::NetworkError>(networkError), QStringLiteral("boom"));
    QCOMPARE(error.httpStatus(), status);
    QCOMPARE(error.typeName(), QStringLiteral("api_error"));
    for (const QString &part : mustContain)
        QVERIFY2(error.message.contains(part), qPrintable(error.message));
}

void TestBackendErrorTranslator::excerpt_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("openai") << QByteArray(R"({"error":{"message":"bad thing"}})") << "bad thing";
    QTest::newRow("ollama") << QByteArray(R"({"error":"model not found"})") << "model not found";
    QTest::newRow("detail") << QByteArray(R"({"detail":"Not authenticated"})") << "Not authenticated";
    QTest::newRow("html")
        << QByteArray("<html><head><style>p{}</style></head><body><h1>502 Bad   Gateway</h1></body></html>")
        << "502 Bad Gateway";
    QTest::newRow("other json") << QByteArray(R"({"foo":1})") << R"({"foo":1})";
    QTest::newRow("long") << QByteArray(400, 'x') << QString(299, QLatin1Char('x')) + QChar(0x2026);
}

void TestBackendErrorTranslator::excerpt() {
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QCOMPARE(BackendErrorTranslator::excerpt(body), expected);
}

void TestBackendErrorTranslator::streamErrorsNameTheBackend() {
    const ApiError cut = BackendErrorTranslator::streamCut(openai());
    QVERIFY(cut.message.contains(QLatin1String("http://127.0.0.1:8080/v1")));
    QCOMPARE(cut.typeName(), QStringLiteral("api_error"));
    const ApiError stalled = BackendErrorTranslator::streamStalled(ollama(), 30000);
    QVERIFY2(stalled.message.contains(QLatin1String("30.0 s")), qPrintable(stalled.message));
    const ApiError timeout = BackendErrorTranslator::firstByteTimeout(ollama(), 5000);
    QCOMPARE(timeout.httpStatus(), 504);
    QVERIFY(timeout.message.contains(QLatin1String("PROVIDER_TIMEOUT_MS=5000")));
    const ApiError inStream = BackendErrorTranslator::streamError(ollama(), QStringLiteral("out of memory"));
    QVERIFY(inStream.message.contains(QLatin1String("out of memory")));
}

QTEST_APPLESS_MAIN(TestBackendErrorTranslator)
#include "tst_backenderrortranslator.moc"
