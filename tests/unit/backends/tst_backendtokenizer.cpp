// BackendTokenizer: the /tokenize URL, the vLLM and llama.cpp request bodies, and reading both
// servers' answers (and refusing anything else).
#include "backends/BackendTokenizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace modelrelay;

// Declared before the raw-string test data below, which moc cannot read past.
class TestBackendTokenizer : public QObject {
    Q_OBJECT
private slots:
    void tokenizeUrl_data();
    void tokenizeUrl();
    void vllmRequestKeepsOnlyWhatTheTemplateReads();
    void vllmRequestWithoutTools();
    void llamaCppRequestHasAllTheText();
    void parseAnswer_data();
    void parseAnswer();
};

namespace {

QJsonObject json(const QByteArray &text) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s", qPrintable(error.errorString()));
    return document.object();
}

// A Chat Completions body as OpenAiRequestBuilder writes it for a short tool-using conversation.
const QByteArray kChatBody = R"({
  "model": "Qwen/Qwen3-Coder-30B-A3B-Instruct",
  "max_tokens": 32000,
  "stream": true,
  "stream_options": {"include_usage": true},
  "temperature": 0.7,
  "messages": [
    {"role": "system", "content": "You are Claude Code."},
    {"role": "user", "content": [{"type": "text", "text": "Read hello.txt"}, {"type": "image_url", "image_url": {"url": "data:x"}}]},
    {"role": "assistant", "content": null, "reasoning_content": "The user wants the file.",
     "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "Read", "arguments": "{\"file_path\":\"/tmp/hello.txt\"}"}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "hello"}
  ],
  "tools": [{"type": "function", "function": {"name": "Read", "description": "Reads a file",
             "parameters": {"type": "object", "properties": {"file_path": {"type": "string"}}, "required": ["file_path"]}}}]
})";

} // namespace

void TestBackendTokenizer::tokenizeUrl_data() {
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("expected");
    QTest::newRow("vllm") << "http://127.0.0.1:8000/v1"
                          << "http://127.0.0.1:8000/tokenize";
    QTest::newRow("trailing slash") << "http://127.0.0.1:8000/v1/"
                                    << "http://127.0.0.1:8000/tokenize";
    QTest::newRow("no /v1") << "http://gpu-box:8080"
                            << "http://gpu-box:8080/tokenize";
    QTest::newRow("root slash") << "http://gpu-box:8080/"
                                << "http://gpu-box:8080/tokenize";
    QTest::newRow("behind a path prefix") << "https://lab.example/llm/v1"
                                          << "https://lab.example/llm/tokenize";
    QTest::newRow("query dropped") << "http://h:1/v1?api-version=2"
                                   << "http://h:1/tokenize";
    QTest::newRow("v1 only as a suffix") << "http://h:1/v1beta"
                                         << "http://h:1/v1beta/tokenize";
}

void TestBackendTokenizer::tokenizeUrl() {
    QFETCH(QString, base);
    QFETCH(QString, expected);
    QCOMPARE(BackendTokenizer::tokenizeUrl(QUrl(base)).toString(), expected);
}

void TestBackendTokenizer::vllmRequestKeepsOnlyWhatTheTemplateReads() {
    const QJsonObject chat = json(kChatBody);
    const QJsonObject request = json(BackendTokenizer::vllmRequest(chat));
    QCOMPARE(request.keys(), (QStringList{"add_generation_prompt", "messages", "model", "tools"}));
    QCOMPARE(request.value("model"), chat.value("model"));
    QCOMPARE(request.value("messages"), chat.value("messages"));
    QCOMPARE(request.value("tools"), chat.value("tools"));
    QCOMPARE(request.value("add_generation_prompt").toBool(), true);
}

void TestBackendTokenizer::vllmRequestWithoutTools() {
    QJsonObject chat = json(kChatBody);
    chat.insert("tools", QJsonArray());
    QVERIFY(!json(BackendTokenizer::vllmRequest(chat)).contains("tools"));
    chat.remove("tools");
    QVERIFY(!json(BackendTokenizer::vllmRequest(chat)).contains("tools"));
}

void TestBackendTokenizer::llamaCppRequestHasAllTheText() {
    const BackendTokenizer::TextRequest request = BackendTokenizer::llamaCppRequest(json(kChatBody));
    const QJsonObject body = json(request.body);
    QCOMPARE(body.keys(), (QStringList{"add_special", "content"}));
    QCOMPARE(body.value("add_special").toBool(), true);
    const QString content = body.value("content").toString();
    for (const char *part : {"system", "You are Claude Code.", "user", "Read hello.txt", "assistant",
                             "The user wants the file.", "Read", R"({"file_path":"/tmp/hello.txt"})", "tool",
                             "hello", R"("description":"Reads a file")", R"("required":["file_path"])"})
        QVERIFY2(content.contains(QString::fromUtf8(part)), part);
    QVERIFY(!content.contains("data:x")); // images are not text
    QVERIFY(!content.contains("32000"));  // nor are the sampling settings
    QCOMPARE(request.overheadTokens, 4 * BackendTokenizer::kLlamaCppTokensPerMessage +
                                         BackendTokenizer::kLlamaCppTokensForAnswerPrompt);
}

void TestBackendTokenizer::parseAnswer_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("dialect"); // 0 vLLM, 1 llama.cpp
    QTest::addColumn<int>("tokens");

    QTest::newRow("vllm")
        << QByteArray(R"({"count":5,"max_model_len":32768,"tokens":[1,2,3,4,5],"token_strs":null})") << true
        << 0 << 5;
    QTest::newRow("vllm, count wins over the list")
        << QByteArray(R"({"count":7,"tokens":[1]})") << true << 0 << 7;
    QTest::newRow("llama.cpp") << QByteArray(R"({"tokens":[151644,872,198]})") << true << 1 << 3;
    QTest::newRow("llama.cpp without content") << QByteArray(R"({"tokens":[]})") << true << 1 << 0;
    QTest::newRow("llama.cpp with pieces")
        << QByteArray(R"({"tokens":[{"id":9707,"piece":"Hello"},{"id":0,"piece":"!"}]})") << true << 1 << 2;
    QTest::newRow("negative count") << QByteArray(R"({"count":-1})") << false << 0 << 0;
    QTest::newRow("fractional count") << QByteArray(R"({"count":1.5})") << false << 0 << 0;
    QTest::newRow("count as a string") << QByteArray(R"({"count":"5"})") << false << 0 << 0;
    QTest::newRow("vllm error") << QByteArray(R"({"object":"error","message":"Field required","code":400})")
                                << false << 0 << 0;
    QTest::newRow("html") << QByteArray("<html><body>404 Not Found</body></html>") << false << 0 << 0;
    QTest::newRow("empty") << QByteArray() << false << 0 << 0;
    QTest::newRow("array") << QByteArray("[1,2,3]") << false << 0 << 0;
}

void TestBackendTokenizer::parseAnswer() {
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(int, dialect);
    QFETCH(int, tokens);
    const auto answer = BackendTokenizer::parseAnswer(body);
    QCOMPARE(answer.has_value(), ok);
    if (!ok)
        return;
    QCOMPARE(int(answer->dialect), dialect);
    QCOMPARE(answer->tokens, tokens);
}

QTEST_APPLESS_MAIN(TestBackendTokenizer)
#include "tst_backendtokenizer.moc"
