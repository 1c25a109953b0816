// The outcome of mapping a client's model name: which backend model to call and its limits.
#pragma once

#include <QString>

namespace modelrelay {

// Whether the backend model reasons, as its server told (Ollama's /api/show capabilities).
enum class ThinkingSupport {
    Unknown, // not asked, or the server did not say
    None,    // no reasoning: a request to think would be refused
    OnOff,   // thinks or not
    Levels,  // also takes an effort level ("low" | "medium" | "high"), e.g. gpt-oss
};

struct ModelTarget {
    QString backendModel;
    int maxOutputTokens = 0; // cap for max_tokens; 0 = no per-model cap
    int contextSize = 0;     // Ollama num_ctx; 0 = the profile's default
    QString matchedRule;     // the rule's pattern, or "default" when DEFAULT_MODEL was used
    ThinkingSupport thinking = ThinkingSupport::Unknown;
};

} // namespace modelrelay
