// modelrelay-translate-bench: how long the pure translation takes, without sockets.
//   request: the recorded 80 KB Claude Code request -> parse -> OpenAI body (compact JSON)
//   answer:  a 200-token OpenAI SSE stream (also one ending in a tool call) -> decoder ->
//            Anthropic SSE events
#include "anthropic/RequestParser.h"
#include "anthropic/StreamEncoder.h"
#include "backends/ollama/OllamaRequestBuilder.h"
#include "backends/openai/OpenAiRequestBuilder.h"
#include "backends/openai/OpenAiStreamDecoder.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QList>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>
#include <vector>

using namespace modelrelay;

namespace {
// The CPU time of this thread, not wall time: the benchmark machines are shared, and time spent
// descheduled while another process runs is not translation cost.
double threadCpuMicros() {
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e6 + double(now.tv_nsec) / 1e3;
#else
    static QElapsedTimer wall;
    if (!wall.isValid())
        wall.start();
    return double(wall.nsecsElapsed()) / 1e3;
#endif
}

template <typename F> double medianMicros(int runs, F &&work) {
    for (int i = 0; i < runs / 10; ++i) // warm caches and allocator first
        work();
    std::vector<double> times;
    times.reserve(runs);
    for (int i = 0; i < runs; ++i) {
        const double start = threadCpuMicros();
        work();
        times.push_back(threadCpuMicros() - start);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

struct OpenAiStream {
    QList<QByteArray> lines; // one network read per line, like a real stream
    int chunks = 0;          // SSE events in it
};

// What an OpenAI-compatible server streams: the role, N text tokens, optionally a tool call
// whose arguments arrive in fragments, the finish reason, the usage and [DONE].
OpenAiStream openAiStream(int textTokens, bool withToolCall) {
    const QByteArray head =
        R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[)";
    QList<QByteArray> events;
    events.append(head + R"({"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})");
    for (int i = 0; i < textTokens; ++i)
        events.append(head + R"({"index":0,"delta":{"content":" tok"},"finish_reason":null}]})");
    if (withToolCall) {
        events.append(
            head +
            R"({"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"Read","arguments":""}}]},"finish_reason":null}]})");
        for (const char *fragment : {R"({\"file_)", R"(path\": \"/home/user/)", R"(project/src/main.cpp\"})"})
            events.append(head + R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":")" +
                          fragment + R"("}}]},"finish_reason":null}]})");
    }
    events.append(head + R"({"index":0,"delta":{},"finish_reason":")" +
                  QByteArray(withToolCall ? "tool_calls" : "stop") + R"("}]})");
    events.append(R"({"id":"c","choices":[],"usage":{"prompt_tokens":20000,"completion_tokens":200}})");
    events.append("[DONE]");
    OpenAiStream stream;
    stream.chunks = int(events.size());
    for (const QByteArray &event : std::as_const(events))
        stream.lines.append("data: " + event + "\n\n");
    return stream;
}

// The proxy's answer path without sockets: decode the OpenAI stream, encode Anthropic events.
QByteArray relayToAnthropic(const QList<QByteArray> &lines) {
    OpenAiStreamDecoder decoder;
    StreamEncoder encoder(QStringLiteral("msg_bench"), QStringLiteral("claude-sonnet-4-5"), 20000);
    std::vector<StreamDelta> deltas;
    QByteArray out = encoder.start();
    for (const QByteArray &line : lines) {
        deltas.clear();
        decoder.feed(line, deltas);
        for (const StreamDelta &d : deltas)
            out += encoder.encode(d);
    }
    return out + encoder.finish();
}
} // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FIXTURE.request.json\n", argv[0]);
        return 1;
    }
    QFile file(QString::fromLocal8Bit(argv[1]));
    if (!file.open(QIODevice::ReadOnly))
        return 1;
    const QByteArray body = file.readAll();
    const ModelTarget target{QStringLiteral("local-model"), 0, 0, QStringLiteral("default")};
    const BackendProfile profile;
    volatile qsizetype sink = 0;

    // A reference: what Qt's JSON alone costs to read the request and write it back compact.
    const double jsonReferenceUs = medianMicros(
        300, [&] { sink = sink + QJsonDocument::fromJson(body).toJson(QJsonDocument::Compact).size(); });
    const double parseUs = medianMicros(300, [&] {
        auto parsed = RequestParser::parse(body, ParseOptions{});
        sink = sink + qsizetype(std::get<MessageRequest>(parsed).messages.size());
    });
    const double openaiUs = medianMicros(300, [&] {
        auto parsed = RequestParser::parse(body, ParseOptions{});
        sink = sink + OpenAiRequestBuilder::build(std::get<MessageRequest>(parsed), target, profile, nullptr)
                          .body.size();
    });
    const double ollamaUs = medianMicros(300, [&] {
        auto parsed = RequestParser::parse(body, ParseOptions{});
        sink = sink + OllamaRequestBuilder::build(std::get<MessageRequest>(parsed), target, profile, nullptr)
                          .body.size();
    });

    // The answer direction: a 200-token text answer, and the same answer ending in a tool call.
    const OpenAiStream textAnswer = openAiStream(200, false);
    const OpenAiStream toolAnswer = openAiStream(200, true);
    if (!relayToAnthropic(toolAnswer.lines).contains("input_json_delta")) {
        std::fprintf(stderr, "the tool call was not relayed: the answer benchmark measures nothing\n");
        return 2;
    }
    const double answerUs =
        medianMicros(300, [&] { sink = sink + relayToAnthropic(textAnswer.lines).size(); });
    const double toolAnswerUs =
        medianMicros(300, [&] { sink = sink + relayToAnthropic(toolAnswer.lines).size(); });

    std::printf("{\"request_bytes\":%lld,\"json_reference_us\":%.1f,\"parse_us\":%.1f,"
                "\"to_openai_us\":%.1f,\"to_ollama_us\":%.1f,"
                "\"answer_200_tokens_us\":%.1f,\"per_chunk_us\":%.2f,"
                "\"answer_with_tool_us\":%.1f,\"answer_with_tool_chunks\":%d}\n",
                static_cast<long long>(body.size()), jsonReferenceUs, parseUs, openaiUs, ollamaUs, answerUs,
                answerUs / double(textAnswer.chunks), toolAnswerUs, toolAnswer.chunks);
    return 0;
}
