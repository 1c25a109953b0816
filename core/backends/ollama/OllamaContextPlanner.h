// Chooses Ollama's num_ctx for one request. Ollama's own default (2048-4096 tokens) silently cuts
// Claude Code's prompts, and a num_ctx that changes between requests makes Ollama reload the
// model, which takes seconds. So: enough for the prompt plus the answer, rounded up to a power of
// two, never below the largest this model already got in this run (no reloads going down), and
// never above the model's trained context or the user's cap. A context the rule sets explicitly
// is used as given (bounded by the model's).
#pragma once

#include <QString>

namespace modelrelay {

class OllamaContextPlanner {
public:
    struct Input {
        int estimatedPromptTokens = 0;
        int maxOutputTokens = 0; // what the request will ask for (after caps)
        int ruleContext = 0;     // the model rule's "context", 0 = none
        int userCap = 32768;     // MODELRELAY_OLLAMA_NUM_CTX
        int modelContext = 0;    // from /api/show, 0 = unknown
        int previous = 0;        // the largest num_ctx this model was given in this run
    };
    struct Plan {
        int numCtx = 0;
        QString warning; // non-empty when the prompt will not fit
    };

    static constexpr int kSmallest = 8192;
    static Plan plan(const Input &input);
};

} // namespace modelrelay
