// OpenAI-compatible servers' /v1/chat/completions. Counts tokens with the server's own tokenizer
// where it has one (vLLM, llama.cpp server: TokenizerProbe).
#pragma once

#include "backends/Backend.h"

namespace modelrelay {

class TokenizerProbe;

class OpenAiBackend final : public Backend {
public:
    explicit OpenAiBackend(TokenizerProbe &tokenizer);

    BackendCall prepare(const MessageRequest &request, const ModelTarget &target,
                        const BackendProfile &profile, const HttpHeaders &clientHeaders,
                        QStringList *notes) const override;
    void countTokens(const MessageRequest &request, const ModelTarget &target, const BackendProfile &profile,
                     std::function<void(TokenCount)> done) override;

private:
    TokenizerProbe &m_tokenizer;
};

} // namespace modelrelay
