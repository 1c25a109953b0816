// Servers with their own Anthropic /v1/messages (Ollama >= 0.14, llama.cpp server, vLLM, LM Studio):
// the request is passed on nearly as it came.
#pragma once

#include "backends/Backend.h"

namespace modelrelay {

class AnthropicNativeBackend final : public Backend {
public:
    BackendCall prepare(const MessageRequest &request, const ModelTarget &target,
                        const BackendProfile &profile, const HttpHeaders &clientHeaders,
                        QStringList *notes) const override;
};

} // namespace modelrelay
