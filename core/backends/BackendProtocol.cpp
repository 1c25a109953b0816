#include "BackendProtocol.h"

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
    case BackendKind::OpenAI:
        break;
    }
    return {OpenAiRequestBuilder::build(request, target, profile, notes),
            std::make_unique<OpenAiStreamDecoder>()};
}

QString BackendProtocol::displayName(BackendKind kind) {
    switch (kind) {
    case BackendKind::Ollama:
        return QStringLiteral("Ollama");
    case BackendKind::OpenAI:
        break;
    }
    return QStringLiteral("OpenAI-compatible");
}

} // namespace modelrelay
