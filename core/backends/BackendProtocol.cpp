#include "BackendProtocol.h"

#include "anthropic_native/AnthropicNativeRequestBuilder.h"
#include "anthropic_native/AnthropicNativeStreamDecoder.h"
#include "ollama/OllamaRequestBuilder.h"
#include "ollama/OllamaStreamDecoder.h"
#include "openai/OpenAiRequestBuilder.h"
#include "openai/OpenAiStreamDecoder.h"

namespace modelrelay {

BackendCall BackendProtocol::prepare(const MessageRequest &request, const ModelTarget &target,
                                     const BackendProfile &profile, QStringList *notes) {
    switch (profile.kind) {
    case BackendKind::Ollama:
        return {OllamaRequestBuilder::build(request, target, profile, notes),
                std::make_unique<OllamaStreamDecoder>()};
    case BackendKind::Anthropic:
        return {AnthropicNativeRequestBuilder::build(request, target, profile, notes),
                std::make_unique<AnthropicNativeStreamDecoder>()};
    case BackendKind::OpenAI:
        break;
    }
    return {OpenAiRequestBuilder::build(request, target, profile, notes),
            std::make_unique<OpenAiStreamDecoder>()};
}

QString BackendProtocol::displayName(BackendKind kind) {
    return backendKindTitle(kind);
}

} // namespace modelrelay
