// num_ctx planning and what /api/show reports.
#include "backends/ollama/OllamaContextPlanner.h"
#include "backends/ollama/OllamaModelInfo.h"

#include <QtTest>

using namespace modelrelay;
using Input = OllamaContextPlanner::Input;
Q_DECLARE_METATYPE(modelrelay::OllamaContextPlanner::Input)

class TestOllamaContext : public QObject {
    Q_OBJECT
private slots:
    void plan_data();
    void plan();
    void warnsWhenThePromptDoesNotFit();
    void showResponse_data();
    void showResponse();
    void thinkingSupport_data();
    void thinkingSupport();
};

void TestOllamaContext::plan_data() {
    QTest::addColumn<Input>("input");
    QTest::addColumn<int>("numCtx");
    // {estimate, maxOutput, ruleContext, userCap, modelContext, previous}
    QTest::newRow("small request: the smallest bucket") << Input{500, 512, 0, 32768, 0, 0} << 8192;
    QTest::newRow("rounds up to a power of two") << Input{9000, 1000, 0, 65536, 0, 0} << 16384;
    QTest::newRow("Claude Code turn: capped by the user")
        << Input{21000, 32000, 0, 32768, 131072, 0} << 32768;
    QTest::newRow("capped by the model") << Input{21000, 32000, 0, 131072, 40960, 0} << 40960;
    QTest::newRow("never shrinks below what the model had (no reload)")
        << Input{500, 512, 0, 32768, 0, 32768} << 32768;
    QTest::newRow("previous is still capped") << Input{500, 512, 0, 16384, 0, 32768} << 16384;
    QTest::newRow("rule context as given") << Input{500, 512, 65536, 32768, 0, 0} << 65536;
    QTest::newRow("rule context bounded by the model") << Input{500, 512, 65536, 32768, 32768, 0} << 32768;
}

void TestOllamaContext::plan() {
    QFETCH(Input, input);
    QFETCH(int, numCtx);
    const auto plan = OllamaContextPlanner::plan(input);
    QCOMPARE(plan.numCtx, numCtx);
    QCOMPARE(plan.warning, QString());
}

void TestOllamaContext::warnsWhenThePromptDoesNotFit() {
    const auto byCap = OllamaContextPlanner::plan(Input{40000, 1000, 0, 32768, 131072, 0});
    QCOMPARE(byCap.numCtx, 32768);
    QVERIFY2(byCap.warning.contains("MODELRELAY_OLLAMA_NUM_CTX"), qPrintable(byCap.warning));
    QVERIFY(byCap.warning.contains("131072"));
    const auto byModel = OllamaContextPlanner::plan(Input{40000, 1000, 0, 131072, 32768, 0});
    QCOMPARE(byModel.numCtx, 32768);
    QVERIFY2(byModel.warning.contains("model's 32768-token context"), qPrintable(byModel.warning));
}

void TestOllamaContext::showResponse_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("contextLength");
    QTest::addColumn<QStringList>("capabilities");
    QTest::newRow("qwen2.5-coder (Ollama 0.6+)")
        << QByteArray(R"({"modelfile":"# x","parameters":"stop \"<|im_end|>\"","template":"{{ .Prompt }}",
            "details":{"family":"qwen2","parameter_size":"32.8B","quantization_level":"Q4_K_M"},
            "model_info":{"general.architecture":"qwen2","general.parameter_count":32763876352,
                          "qwen2.attention.head_count":40,"qwen2.context_length":32768},
            "capabilities":["completion","tools","insert"]})")
        << true << 32768 << QStringList{"completion", "tools", "insert"};
    QTest::newRow("older Ollama: no capabilities")
        << QByteArray(R"({"details":{"family":"llama"},"model_info":{"general.architecture":"llama",
            "llama.context_length":131072}})")
        << true << 131072 << QStringList{};
    QTest::newRow("architecture not prefixing its keys")
        << QByteArray(R"({"model_info":{"general.architecture":"gemma3","gemma3text.context_length":8192}})")
        << true << 8192 << QStringList{};
    QTest::newRow("no context length")
        << QByteArray(R"({"details":{"family":"x"},"model_info":{}})") << true << 0 << QStringList{};
    QTest::newRow("an error") << QByteArray(R"({"error":"model 'x' not found"})") << false << 0
                              << QStringList{};
    QTest::newRow("garbage") << QByteArray("<html>") << false << 0 << QStringList{};
}

// Whether `think` may be sent, and a level or a boolean (issue #12, item 2).
void TestOllamaContext::thinkingSupport_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("support");
    QTest::newRow("gpt-oss takes levels")
        << QByteArray(R"({"details":{"family":"gptoss"},"model_info":{"gptoss.context_length":131072},
            "capabilities":["completion","tools","thinking"]})")
        << int(ThinkingSupport::Levels);
    QTest::newRow("a template using .ThinkLevel")
        << QByteArray(R"({"template":"{{ if .ThinkLevel }}Reasoning: {{ .ThinkLevel }}{{ end }}",
            "details":{"family":"x"},"model_info":{},"capabilities":["completion","thinking"]})")
        << int(ThinkingSupport::Levels);
    QTest::newRow("qwen3 thinks, without levels")
        << QByteArray(R"({"template":"{{ if .Think }}<think>{{ end }}","details":{"family":"qwen3"},
            "model_info":{},"capabilities":["completion","tools","thinking"]})")
        << int(ThinkingSupport::OnOff);
    QTest::newRow("qwen2.5-coder does not think")
        << QByteArray(
               R"({"details":{"family":"qwen2"},"model_info":{},"capabilities":["completion","tools"]})")
        << int(ThinkingSupport::None);
    QTest::newRow("older Ollama does not say")
        << QByteArray(R"({"details":{"family":"llama"},"model_info":{}})") << int(ThinkingSupport::Unknown);
}

void TestOllamaContext::thinkingSupport() {
    QFETCH(QByteArray, body);
    QFETCH(int, support);
    const auto info = OllamaModelInfo::fromShowResponse(body);
    QVERIFY(info);
    QCOMPARE(int(info->thinking()), support);
}

void TestOllamaContext::showResponse() {
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QFETCH(int, contextLength);
    QFETCH(QStringList, capabilities);
    const auto info = OllamaModelInfo::fromShowResponse(body);
    QCOMPARE(info.has_value(), valid);
    if (info) {
        QCOMPARE(info->contextLength, contextLength);
        QCOMPARE(info->capabilities, capabilities);
    }
}

QTEST_GUILESS_MAIN(TestOllamaContext)
#include "tst_ollamacontext.moc"
