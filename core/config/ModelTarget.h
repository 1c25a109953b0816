// The outcome of mapping a client's model name: which backend model to call and its limits.
#pragma once

#include <QString>

namespace modelrelay {

struct ModelTarget {
    QString backendModel;
    int maxOutputTokens = 0; // cap for max_tokens; 0 = no per-model cap
    int contextSize = 0;     // Ollama num_ctx; 0 = the profile's default
    QString matchedRule;     // the rule's pattern, or "default" when DEFAULT_MODEL was used
};

} // namespace modelrelay
