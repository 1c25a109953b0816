#include "StreamFuzzing.h"

#include "FuzzChecks.h"
#include "anthropic/MessageAccumulator.h"
#include "anthropic/StreamEncoder.h"
#include "backends/BackendErrorTranslator.h"
#include "backends/ToolCallGuard.h"
#include "backends/ollama/OllamaStreamDecoder.h"
#include "backends/openai/OpenAiStreamDecoder.h"

#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace modelrelay::fuzz {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr std::uint8_t kWholeBody = 255;

// As each Backend::prepare makes them: the backend's decoder behind the tool-call guard.
std::unique_ptr<StreamDecoder> makeDecoder(BackendKind kind) {
    std::unique_ptr<StreamDecoder> inner;
    if (kind == BackendKind::Ollama)
        inner = std::make_unique<OllamaStreamDecoder>();
    else
        inner = std::make_unique<OpenAiStreamDecoder>();
    return std::make_unique<ToolCallGuard>(std::move(inner), u"fuzz-model"_s);
}

bool sameUsage(const Usage &a, const Usage &b) {
    return a.inputTokens == b.inputTokens && a.outputTokens == b.outputTokens &&
           a.cacheReadInputTokens == b.cacheReadInputTokens;
}

bool sameDeltas(const std::vector<StreamDelta> &a, const std::vector<StreamDelta> &b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const StreamDelta &x = a[i];
        const StreamDelta &y = b[i];
        if (x.kind != y.kind || x.text != y.text || x.toolIndex != y.toolIndex || x.id != y.id ||
            x.name != y.name || !sameUsage(x.usage, y.usage) || x.stopReason != y.stopReason ||
            x.stopSequence != y.stopSequence)
            return false;
    }
    return true;
}

// Splits the body into the chunk sizes the two leading input bytes choose.
class ChunkPlan {
public:
    ChunkPlan(std::uint8_t first, std::uint8_t second)
        : m_first(first)
        , m_second(second) {}

    std::size_t length(std::size_t step, std::size_t remaining) const {
        if (m_first == kWholeBody)
            return remaining;
        const std::uint8_t pick = step % 2 == 0 ? m_first : m_second;
        return std::min<std::size_t>(remaining, 1 + pick % 97);
    }

private:
    std::uint8_t m_first;
    std::uint8_t m_second;
};

// What the client gets: the SSE events and, for the non-streaming path, the message or error.
struct Relay {
    explicit Relay(BackendKind kind)
        : context{kind, u"http://127.0.0.1:9"_s, u"fuzz-model"_s} {}

    void pass(const std::vector<StreamDelta> &deltas) {
        for (const StreamDelta &delta : deltas) {
            events += encoder.encode(delta);
            accumulator.add(delta);
        }
    }
    void failWith(const QString &backendError) {
        events += encoder.fail(BackendErrorTranslator::streamError(context, backendError));
        failed = true;
    }

    BackendContext context;
    StreamEncoder encoder{u"msg_fuzz"_s, u"claude-fuzz"_s, 42};
    MessageAccumulator accumulator{u"msg_fuzz"_s, u"claude-fuzz"_s, 42};
    QByteArray events = encoder.start();
    bool failed = false;
};

std::vector<StreamDelta> decodeWhole(BackendKind kind, QByteArrayView body, QString *backendError) {
    const std::unique_ptr<StreamDecoder> decoder = makeDecoder(kind);
    std::vector<StreamDelta> deltas;
    decoder->feed(body, deltas);
    decoder->finish(deltas);
    *backendError = decoder->backendError();
    return deltas;
}

// The JSON path must tell the same answer as the SSE path.
void compareWithAccumulator(const SseAnswer &sse, const std::variant<QByteArray, ApiError> &result) {
    if (std::holds_alternative<ApiError>(result)) {
        require(sse.endedWithError, "the JSON path fails exactly when the SSE path does");
        return;
    }
    require(!sse.endedWithError, "the JSON path fails exactly when the SSE path does");
    const QJsonObject message =
        requireJsonObject(std::get<QByteArray>(result), "the accumulated message is a JSON object");
    require(message.value("content"_L1).toArray() == sse.content, "JSON and SSE content agree");
    require(message.value("stop_reason"_L1).toString() == sse.stopReason, "JSON and SSE stop_reason agree");
    require(message.value("usage"_L1).toObject().value("output_tokens"_L1).toInt(-1) == sse.outputTokens,
            "JSON and SSE output_tokens agree");
}

} // namespace

void fuzzStream(BackendKind kind, const std::uint8_t *data, std::size_t size) {
    if (size < 2)
        return;
    const ChunkPlan plan(data[0], data[1]);
    const QByteArrayView body(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    const std::unique_ptr<StreamDecoder> decoder = makeDecoder(kind);
    Relay relay(kind);
    std::vector<StreamDelta> allDeltas;
    std::vector<StreamDelta> deltas;
    std::size_t position = 0;
    for (std::size_t step = 0; position < std::size_t(body.size()); ++step) {
        const std::size_t length = plan.length(step, std::size_t(body.size()) - position);
        deltas.clear();
        decoder->feed(body.sliced(qsizetype(position), qsizetype(length)), deltas);
        position += length;
        allDeltas.insert(allDeltas.end(), deltas.begin(), deltas.end());
        if (relay.failed)
            continue; // MessagesExchange stops relaying at the first backend error
        relay.pass(deltas);
        if (!decoder->backendError().isEmpty())
            relay.failWith(decoder->backendError());
    }
    deltas.clear();
    decoder->finish(deltas);
    allDeltas.insert(allDeltas.end(), deltas.begin(), deltas.end());
    std::optional<std::variant<QByteArray, ApiError>> accumulated;
    if (!relay.failed) {
        relay.pass(deltas);
        if (!decoder->backendError().isEmpty()) {
            relay.failWith(decoder->backendError());
        } else {
            relay.events += relay.encoder.finish();
            accumulated = relay.accumulator.finish();
        }
    }

    QString wholeError;
    require(sameDeltas(allDeltas, decodeWhole(kind, body, &wholeError)),
            "any split of the body decodes to the same deltas");
    require(wholeError == decoder->backendError(), "any split of the body reports the same backend error");

    const SseAnswer sse = checkSseAnswer(relay.events);
    require(relay.encoder.isComplete(), "the encoder is complete after finish or fail");
    if (accumulated)
        compareWithAccumulator(sse, *accumulated);
    else
        require(sse.endedWithError, "a backend error ends the SSE stream with an error event");
}

} // namespace modelrelay::fuzz
