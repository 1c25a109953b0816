// libFuzzer target: arbitrary bytes as a /v1/messages (and count_tokens) body through
// RequestParser; every request it accepts is estimated and translated for both backends, and
// each translation must be a JSON object again.
#include "FuzzChecks.h"
#include "anthropic/RequestParser.h"
#include "backends/ollama/OllamaContextPlanner.h"
#include "backends/ollama/OllamaRequestBuilder.h"
#include "backends/openai/OpenAiRequestBuilder.h"
#include "config/ModelMap.h"
#include "tokens/TokenEstimator.h"

#include <cstddef>
#include <cstdint>

using namespace modelrelay;
using namespace Qt::Literals::StringLiterals;

namespace {

BackendProfile profileFor(BackendKind kind) {
    BackendProfile profile;
    profile.kind = kind;
    profile.baseUrl = BackendProfile::defaultBaseUrl(kind);
    return profile;
}

std::optional<ModelTarget> resolveModel(const MessageRequest &request) {
    ModelMap map;
    map.rules = {ModelRule{u"claude-*haiku*"_s, u"small:7b"_s, 4096, 16384}};
    map.defaultModel = u"default:32b"_s;
    return map.resolve(request.model);
}

void translate(const MessageRequest &request) {
    const int estimate = TokenEstimator::estimate(request);
    fuzz::require(estimate >= 0, "the token estimate is not negative");
    const std::optional<ModelTarget> target = resolveModel(request);
    fuzz::require(target.has_value(), "a default model maps every name");

    QStringList notes;
    const BackendRequest openAi =
        OpenAiRequestBuilder::build(request, *target, profileFor(BackendKind::OpenAI), &notes);
    fuzz::requireJsonObject(openAi.body, "the OpenAI body is a JSON object");

    OllamaContextPlanner::Input input;
    input.estimatedPromptTokens = estimate;
    input.maxOutputTokens = request.maxTokens;
    input.ruleContext = target->contextSize;
    ModelTarget ollamaTarget = *target;
    ollamaTarget.contextSize = OllamaContextPlanner::plan(input).numCtx;
    fuzz::require(ollamaTarget.contextSize > 0, "num_ctx is positive");
    const BackendRequest ollama =
        OllamaRequestBuilder::build(request, ollamaTarget, profileFor(BackendKind::Ollama), &notes);
    fuzz::requireJsonObject(ollama.body, "the Ollama body is a JSON object");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const ParseOptions options : {ParseOptions{true, false}, ParseOptions{false, true}}) {
        auto parsed = RequestParser::parse(body, options);
        if (const auto *request = std::get_if<MessageRequest>(&parsed))
            translate(*request);
        else
            fuzz::require(!std::get<ApiError>(parsed).message.isEmpty(), "a rejected request says why");
    }
    return 0;
}
