// Reads an output limit out of a backend's refusal of max_tokens, so the proxy can cap and retry
// instead of failing Claude Code's request (which asks for 32000 tokens or more). The texts come
// from vLLM, OpenAI, Groq, DeepSeek and OpenRouter-style servers.
#pragma once

#include <QByteArray>
#include <optional>

namespace modelrelay {

class BackendLimitParser {
public:
    struct Limit {
        int maxOutputTokens = 0; // what this request may ask for
        bool perModel = true;    // a fixed model limit (remember it), not one left by this prompt
    };
    static std::optional<Limit> fromRejection(int httpStatus, const QByteArray &body, int requestedMaxTokens);
};

} // namespace modelrelay
