#include "BackendProtocol.h"

#include "ToolCallGuard.h"
#include "anthropic_native/AnthropicNativeRequestBuilder.h"
#include "anthropic_native/AnthropicNativeStreamDecoder.h"
#include "ollama/OllamaRequestBuilder.h"
#include "ollama/OllamaStreamDecoder.h"
#include "openai/OpenAiRequestBuilder.h"
#include "openai/OpenAiStreamDecoder.h"

namespace modelrelay {

namespace {

BackendCall guarded(BackendRequest request, std::unique_ptr<StreamDecoder> decoder,
                    const ModelTarget &target) {
    return {std::move(request), std::make_unique<ToolCallGuard>(std::move(decoder), target.backendModel)};
}

} // namespace

BackendCall BackendProtocol::prepare(const MessageRequest &request, const ModelTarget &target,
                                     const BackendProfile &profile, QStringList *notes) {
    switch (profile.kind) {
    case BackendKind::Ollama:
        return guarded(OllamaRequestBuilder::build(request, target, profile, notes),
                       std::make_unique<OllamaStreamDecoder>(), target);
    case BackendKind::Anthropic:
        return guarded(AnthropicNativeRequestBuilder::build(request, target, profile, notes),
                       std::make_unique<AnthropicNativeStreamDecoder>(), target);
    case BackendKind::OpenAI:
        break;
    }
    return guarded(OpenAiRequestBuilder::build(request, target, profile, notes),
                   std::make_unique<OpenAiStreamDecoder>(), target);
}

QString BackendProtocol::displayName(BackendKind kind) {
    return backendKindTitle(kind);
}

} // namespace modelrelay
