// modelrelay-translate-bench: how long the pure translation takes, without sockets.
//   request: the recorded 80 KB Claude Code request -> parse -> OpenAI body (compact JSON)
//   answer:  a 200-token OpenAI SSE stream -> decoder -> Anthropic SSE events
#include "anthropic/RequestParser.h"
#include "anthropic/StreamEncoder.h"
#include "backends/ollama/OllamaRequestBuilder.h"
#include "backends/openai/OpenAiRequestBuilder.h"
#include "backends/openai/OpenAiStreamDecoder.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <algorithm>
#include <cstdio>
#include <ctime>
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

    QByteArray stream;
    for (int i = 0; i < 200; ++i)
        stream +=
            R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" tok"},"finish_reason":null}]})"
            "\n\n";
    stream += R"(data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
              "\n\n";
    stream += R"(data: {"id":"c","choices":[],"usage":{"prompt_tokens":20000,"completion_tokens":200}})"
              "\n\ndata: [DONE]\n\n";
    const QList<QByteArray> chunks = stream.split('\n');
    const double answerUs = medianMicros(300, [&] {
        OpenAiStreamDecoder decoder;
        StreamEncoder encoder(QStringLiteral("msg_bench"), QStringLiteral("claude-sonnet-4-5"), 20000);
        std::vector<StreamDelta> deltas;
        QByteArray out = encoder.start();
        for (const QByteArray &line : chunks) { // one network read per line, like a real stream
            deltas.clear();
            decoder.feed(line + '\n', deltas);
            for (const StreamDelta &d : deltas)
                out += encoder.encode(d);
        }
        out += encoder.finish();
        sink = sink + out.size();
    });

    std::printf("{\"request_bytes\":%lld,\"json_reference_us\":%.1f,\"parse_us\":%.1f,"
                "\"to_openai_us\":%.1f,\"to_ollama_us\":%.1f,"
                "\"answer_200_tokens_us\":%.1f,\"per_chunk_us\":%.2f}\n",
                static_cast<long long>(body.size()), jsonReferenceUs, parseUs, openaiUs, ollamaUs, answerUs,
                answerUs / 203.0);
    return 0;
}
