#include "OllamaContextPlanner.h"

#include <algorithm>
#include <bit>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

OllamaContextPlanner::Plan OllamaContextPlanner::plan(const Input &in) {
    int ceiling = in.ruleContext > 0 ? in.ruleContext : in.userCap;
    if (in.modelContext > 0)
        ceiling = std::min(ceiling, in.modelContext);
    Plan plan;
    if (in.ruleContext > 0) {
        plan.numCtx = ceiling;
    } else {
        const auto needed = unsigned(std::max(0, in.estimatedPromptTokens) + std::max(0, in.maxOutputTokens));
        const int rounded = int(std::min(std::bit_ceil(std::max(needed, unsigned(kSmallest))), 1u << 30));
        plan.numCtx = std::min(std::max(rounded, in.previous), ceiling);
    }
    if (in.estimatedPromptTokens >= plan.numCtx) {
        const bool modelIsTheLimit = in.modelContext > 0 && plan.numCtx == in.modelContext;
        plan.warning =
            modelIsTheLimit
                ? u"prompt of ~%1 tokens does not fit the model's %2-token context: Ollama will cut it. Use "
                  u"a "
                  "model with a longer context, or let Claude Code compact (/compact)"_s
                      .arg(in.estimatedPromptTokens)
                      .arg(plan.numCtx)
                : u"prompt of ~%1 tokens does not fit num_ctx %2: Ollama will cut it. Raise the context cap "
                  "(MODELRELAY_OLLAMA_NUM_CTX, or \"context\" in the model rule)%3"_s
                      .arg(in.estimatedPromptTokens)
                      .arg(plan.numCtx)
                      .arg(in.modelContext > 0 ? u" up to the model's %1"_s.arg(in.modelContext) : QString());
    }
    return plan;
}

} // namespace modelrelay
