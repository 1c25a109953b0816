// ToolCallGuard around the real OpenAI and Ollama stream decoders: tool-call arguments reach the
// client as one JSON object per call, whatever the byte boundaries; repairable arguments are
// repaired, unrepairable ones end the answer with an error naming the model and the tool.
#include "DeltaFeeding.h"
#include "backends/ToolCallGuard.h"
#include "backends/ollama/OllamaStreamDecoder.h"
#include "backends/openai/OpenAiStreamDecoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

// Declared before the raw-string test data below, which moc cannot read past.
class TestToolCallGuard : public QObject {
    Q_OBJECT
private slots:
    void guards_data();
    void guards();
    void textOnlyStreamIsUntouched();
};

namespace {

const QString kModel = "qwen3-coder:30b";

// OpenAI chunk with a delta (JSON text) and an optional finish reason and usage.
QByteArray chunk(const QByteArray &delta, const QByteArray &finish = "null", const QByteArray &usage = {}) {
    QByteArray line = R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,)"
                      R"("model":"qwen3-coder","choices":[{"index":0,"delta":)" +
                      delta + R"(,"finish_reason":)" + finish + "}]";
    if (!usage.isEmpty())
        line += R"(,"usage":)" + usage;
    return line + "}\n\n";
}

QByteArray toolStart(int index, const QByteArray &id, const QByteArray &name) {
    return chunk(R"({"tool_calls":[{"index":)" + QByteArray::number(index) + R"(,"id":")" + id +
                 R"(","type":"function","function":{"name":")" + name + R"(","arguments":""}}]})");
}

// One fragment of a call's arguments, given as the raw text the model wrote.
QByteArray toolArgs(int index, const QString &fragment, const QByteArray &usage = {}) {
    const QByteArray escaped = QJsonDocument(QJsonObject{{"a", fragment}}).toJson(QJsonDocument::Compact);
    const QByteArray asJsonString = escaped.mid(5, escaped.size() - 6); // {"a":"..."} -> "..."
    return chunk(R"({"tool_calls":[{"index":)" + QByteArray::number(index) + R"(,"function":{"arguments":)" +
                     asJsonString + "}}]}",
                 "null", usage);
}

const QByteArray kUsage =
    R"(data: {"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":30}})"
    "\n\n";
const QByteArray kDone = "data: [DONE]\n\n";

QByteArray ollamaLine(const QByteArray &message) {
    return R"({"model":"qwen3-coder:30b","created_at":"2026-11-25T05:00:00.000000Z","message":)" + message +
           R"(,"done":false})"
           "\n";
}
const QByteArray kOllamaDone =
    R"({"model":"qwen3-coder:30b","created_at":"2026-11-25T05:00:01.000000Z","message":{"role":"assistant","content":""},)"
    R"("done":true,"done_reason":"stop","prompt_eval_count":120,"eval_count":30})"
    "\n";

struct Guarded {
    QStringList deltas; // not merged: the guard releases one arguments delta per call
    QString backendError;
    QStringList repairs;
};

Guarded runGuard(bool ollama, const QByteArray &bytes, const QList<qsizetype> &cuts) {
    std::unique_ptr<StreamDecoder> inner;
    if (ollama)
        inner = std::make_unique<OllamaStreamDecoder>();
    else
        inner = std::make_unique<OpenAiStreamDecoder>();
    ToolCallGuard guard(std::move(inner), kModel);
    std::vector<StreamDelta> out;
    qsizetype start = 0;
    for (qsizetype cut : cuts) {
        guard.feed(QByteArrayView(bytes).sliced(start, cut - start), out);
        start = cut;
    }
    guard.feed(QByteArrayView(bytes).sliced(start), out);
    guard.finish(out);
    Guarded result;
    for (const StreamDelta &d : out)
        result.deltas.append(describe(d));
    result.backendError = guard.backendError();
    result.repairs = guard.repairs();
    return result;
}

QList<QPair<QString, QList<qsizetype>>> everySplit(qsizetype size) {
    QList<QPair<QString, QList<qsizetype>>> splits{{"whole", {}}};
    for (qsizetype chunkSize : {1, 3, 7}) {
        QList<qsizetype> cuts;
        for (qsizetype at = chunkSize; at < size; at += chunkSize)
            cuts.append(at);
        splits.append({QString("chunks of %1").arg(chunkSize), cuts});
    }
    for (qsizetype at = 1; at < size; ++at)
        splits.append({QString("split at %1").arg(at), {at}});
    return splits;
}

} // namespace

void TestToolCallGuard::guards_data() {
    QTest::addColumn<bool>("ollama");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("repairs");
    QTest::addColumn<QStringList>("errorParts"); // empty: no error

    QTest::newRow("openai: fragmented valid arguments")
        << false
        << chunk(R"({"role":"assistant","content":""})") + chunk(R"({"content":"Let me "})") +
               chunk(R"({"content":"look."})") + toolStart(0, "call_9f2", "Read") +
               toolArgs(0, "{\"file_pa") + toolArgs(0, "th\": \"/tmp/hel") + toolArgs(0, "lo.txt\"}") +
               chunk("{}", R"("tool_calls")") + kUsage + kDone
        << QStringList{"text:Let me ",          "text:look.",
                       "begin:0:call_9f2:Read", R"(args:0:{"file_path":"/tmp/hello.txt"})",
                       "finish:tool_use",       "usage:in=120,out=30,cached=-"}
        << QStringList{} << QStringList{};

    QTest::newRow("openai: parallel calls interleaved")
        << false
        << toolStart(0, "call_a", "Read") + toolStart(1, "call_b", "Glob") + toolArgs(1, "{\"pattern\":") +
               toolArgs(0, "{\"file_path\":") + toolArgs(0, "\"/a\"}") + toolArgs(1, "\"**/*.cpp\"}") +
               chunk("{}", R"("tool_calls")") + kDone
        << QStringList{"begin:0:call_a:Read", "begin:1:call_b:Glob", R"(args:0:{"file_path":"/a"})",
                       R"(args:1:{"pattern":"**/*.cpp"})", "finish:tool_use"}
        << QStringList{} << QStringList{};

    // Some servers (vLLM with continuous usage stats) report usage in every chunk: that must not
    // count as "the arguments are complete".
    const QByteArray running = R"({"prompt_tokens":120,"completion_tokens":3})";
    QTest::newRow("openai: usage in every chunk")
        << false
        << toolStart(0, "call_u", "Bash") + toolArgs(0, "{\"command\": \"ls", running) +
               toolArgs(0, " -la\", \"timeout\"", running) + toolArgs(0, ": 5000}", running) +
               chunk("{}", R"("tool_calls")", R"({"prompt_tokens":120,"completion_tokens":30})") + kDone
        << QStringList{"begin:0:call_u:Bash",
                       "usage:in=120,out=3,cached=-",
                       "usage:in=120,out=3,cached=-",
                       "usage:in=120,out=3,cached=-",
                       R"(args:0:{"command":"ls -la","timeout":5000})",
                       "finish:tool_use",
                       "usage:in=120,out=30,cached=-"}
        << QStringList{} << QStringList{};

    QTest::newRow("openai: text between argument fragments")
        << false
        << toolStart(0, "call_t", "Write") + toolArgs(0, "{\"file_path\": \"/tmp/x\", ") +
               chunk(R"({"content":"[writing]"})") + toolArgs(0, "\"content\": \"hi\"}") +
               chunk("{}", R"("tool_calls")") + kDone
        << QStringList{"begin:0:call_t:Write", "text:[writing]",
                       R"(args:0:{"content":"hi","file_path":"/tmp/x"})", "finish:tool_use"}
        << QStringList{} << QStringList{};

    QTest::newRow("openai: trailing comma and cut-off end repaired")
        << false
        << chunk(R"({"content":"Running it."})") + toolStart(0, "call_r", "Bash") +
               toolArgs(0, "{\"command\": \"git st") +
               toolArgs(0, "atus\", \"description\": \"Show status\",") + chunk("{}", R"("tool_calls")") +
               kDone
        << QStringList{"text:Running it.", "begin:0:call_r:Bash",
                       R"(args:0:{"command":"git status","description":"Show status"})", "finish:tool_use"}
        << QStringList{"tool 'Bash': removed a trailing comma, closed 1 bracket cut off at the end"}
        << QStringList{};

    QTest::newRow("openai: fenced and double-encoded in parallel")
        << false
        << toolStart(0, "c1", "Read") + toolStart(1, "c2", "Grep") + toolArgs(0, "```json\n{\"file_path\":") +
               toolArgs(1, "\"{\\\"pattern\\\": \\\"TODO\\\"}\"") + toolArgs(0, " \"/a\"}\n```") +
               chunk("{}", R"("tool_calls")") + kDone
        << QStringList{"begin:0:c1:Read", "begin:1:c2:Grep", R"(args:0:{"file_path":"/a"})",
                       R"(args:1:{"pattern":"TODO"})", "finish:tool_use"}
        << QStringList{"tool 'Read': removed a markdown code fence",
                       "tool 'Grep': decoded an object encoded as a JSON string"}
        << QStringList{};

    QTest::newRow("openai: empty arguments")
        << false << toolStart(0, "call_e", "ListAgents") + chunk("{}", R"("tool_calls")") + kDone
        << QStringList{"begin:0:call_e:ListAgents", "finish:tool_use"} << QStringList{} << QStringList{};

    QTest::newRow("openai: cut off inside a string")
        << false
        << chunk(R"({"content":"Cleaning up."})") + toolStart(0, "call_x", "Bash") +
               toolArgs(0, "{\"command\": \"rm -rf /tmp/bu") + chunk("{}", R"("length")") + kUsage + kDone
        << QStringList{"text:Cleaning up.", "begin:0:call_x:Bash"} << QStringList{}
        << QStringList{"the model 'qwen3-coder:30b'", "tool 'Bash'", "cut off inside a string",
                       "{\"command\": \"rm -rf /tmp/bu", "max_tokens"};

    QTest::newRow("openai: second call unrepairable")
        << false
        << toolStart(0, "c1", "Read") + toolArgs(0, "{\"file_path\": \"/a\"}") + toolStart(1, "c2", "Bash") +
               toolArgs(1, "command=ls") + chunk("{}", R"("tool_calls")") + kDone
        << QStringList{"begin:0:c1:Read", "begin:1:c2:Bash", R"(args:0:{"file_path":"/a"})"} << QStringList{}
        << QStringList{"the model 'qwen3-coder:30b'", "tool 'Bash'", "not JSON: command=ls",
                       "Try a model that supports tool calling"};

    QTest::newRow("openai: body ends without a finish")
        << false << toolStart(0, "c1", "Read") + toolArgs(0, "{\"file_path\": \"/a\"")
        << QStringList{"begin:0:c1:Read", R"(args:0:{"file_path":"/a"})"}
        << QStringList{"tool 'Read': closed 1 bracket cut off at the end"} << QStringList{};

    QTest::newRow("openai: the backend's own error still comes through")
        << false
        << chunk(R"({"content":"Hi"})") + R"(data: {"error":{"message":"CUDA out of memory"}})"
                                          "\n\n"
        << QStringList{"text:Hi"} << QStringList{} << QStringList{"CUDA out of memory"};

    QTest::newRow("ollama: object arguments")
        << true
        << ollamaLine(R"({"role":"assistant","content":"","thinking":"Need the file."})") +
               ollamaLine(R"({"role":"assistant","content":"Reading."})") +
               ollamaLine(
                   R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"Read","arguments":{"file_path":"/tmp/hello.txt"}}},)"
                   R"({"function":{"name":"Glob","arguments":{"pattern":"*.md"}}}]})") +
               kOllamaDone
        << QStringList{"reasoning:Need the file.",
                       "text:Reading.",
                       "begin:0::Read",
                       "begin:1::Glob",
                       "usage:in=120,out=30,cached=-",
                       R"(args:0:{"file_path":"/tmp/hello.txt"})",
                       R"(args:1:{"pattern":"*.md"})",
                       "finish:tool_use"}
        << QStringList{} << QStringList{};

    QTest::newRow("ollama: string arguments with a trailing comma")
        << true
        << ollamaLine(
               R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"Bash","arguments":"{\"command\": \"ls\",}"}}]})") +
               kOllamaDone
        << QStringList{"begin:0::Bash", "usage:in=120,out=30,cached=-", R"(args:0:{"command":"ls"})",
                       "finish:tool_use"}
        << QStringList{"tool 'Bash': removed a trailing comma"} << QStringList{};

    QTest::newRow("ollama: string arguments that are not an object")
        << true
        << ollamaLine(R"({"role":"assistant","content":"Sure."})") +
               ollamaLine(
                   R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"Bash","arguments":"[\"ls\"]"}}]})") +
               kOllamaDone
        << QStringList{"text:Sure.", "begin:0::Bash", "usage:in=120,out=30,cached=-"} << QStringList{}
        << QStringList{"the model 'qwen3-coder:30b'", "tool 'Bash'", "a JSON array, not an object"};
}

void TestToolCallGuard::guards() {
    QFETCH(bool, ollama);
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, repairs);
    QFETCH(QStringList, errorParts);

    for (const auto &[how, cuts] : everySplit(stream.size())) {
        const Guarded result = runGuard(ollama, stream, cuts);
        QVERIFY2(result.deltas == expected, qPrintable(how + ": " + result.deltas.join(" | ")));
        QVERIFY2(result.repairs == repairs, qPrintable(how + ": " + result.repairs.join(" | ")));
        if (errorParts.isEmpty())
            QVERIFY2(result.backendError.isEmpty(), qPrintable(how + ": " + result.backendError));
        for (const QString &part : errorParts)
            QVERIFY2(result.backendError.contains(part), qPrintable(how + ": " + result.backendError));
        // Every released arguments delta is one whole JSON object.
        for (const QString &delta : result.deltas) {
            if (delta.startsWith("args:")) {
                const QString json = delta.section(':', 2);
                QVERIFY2(QJsonDocument::fromJson(json.toUtf8()).isObject(), qPrintable(how + ": " + json));
            }
        }
    }
}

void TestToolCallGuard::textOnlyStreamIsUntouched() {
    // Without tool calls the guard passes the inner decoder's deltas one for one.
    const QByteArray stream = chunk(R"({"reasoning_content":"Hmm"})") + chunk(R"({"content":"Hel"})") +
                              chunk(R"({"content":"lo ✓"})") + chunk("{}", R"("stop")") + kUsage + kDone;
    for (const auto &[how, cuts] : everySplit(stream.size())) {
        OpenAiStreamDecoder plain;
        std::vector<StreamDelta> expected;
        qsizetype start = 0;
        for (qsizetype cut : cuts) {
            plain.feed(QByteArrayView(stream).sliced(start, cut - start), expected);
            start = cut;
        }
        plain.feed(QByteArrayView(stream).sliced(start), expected);
        plain.finish(expected);
        QStringList want;
        for (const StreamDelta &d : expected)
            want.append(describe(d));
        const Guarded guarded = runGuard(false, stream, cuts);
        QCOMPARE(guarded.deltas, want);
        QCOMPARE(guarded.deltas.size(), 5);
    }
}

QTEST_APPLESS_MAIN(TestToolCallGuard)
#include "tst_toolcallguard.moc"
