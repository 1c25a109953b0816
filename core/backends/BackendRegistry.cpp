#include "BackendRegistry.h"

#include "anthropic_native/AnthropicNativeBackend.h"
#include "ollama/OllamaBackend.h"
#include "openai/OpenAiBackend.h"
#include "openai/TokenizerProbe.h"

namespace modelrelay {

BackendRegistry::BackendRegistry(OllamaModelCatalog &catalog, BackendTransport &transport, QObject *parent)
    : QObject(parent)
    , m_tokenizerProbe(new TokenizerProbe(transport, this))
    , m_ollama(std::make_unique<OllamaBackend>(catalog))
    , m_openAi(std::make_unique<OpenAiBackend>(*m_tokenizerProbe))
    , m_anthropic(std::make_unique<AnthropicNativeBackend>()) {}

BackendRegistry::~BackendRegistry() = default;

Backend &BackendRegistry::forKind(BackendKind kind) {
    switch (kind) {
    case BackendKind::Ollama:
        return *m_ollama;
    case BackendKind::Anthropic:
        return *m_anthropic;
    case BackendKind::OpenAI:
        break;
    }
    return *m_openAi;
}

} // namespace modelrelay
