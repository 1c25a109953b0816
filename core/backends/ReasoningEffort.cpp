#include "ReasoningEffort.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
// Claude Code's budgets: 4000 ("think"), 10000 ("think hard"), 31999 (the default and "ultrathink").
QString levelOfBudget(int budgetTokens) {
    if (budgetTokens >= 16000)
        return u"high"_s;
    if (budgetTokens >= 6000)
        return u"medium"_s;
    return budgetTokens > 0 ? u"low"_s : QString();
}
} // namespace

QString ReasoningEffort::levelOf(const QString &effort) {
    const QString name = effort.trimmed().toLower();
    if (name == "low"_L1 || name == "medium"_L1 || name == "high"_L1)
        return name;
    if (name == "xhigh"_L1 || name == "max"_L1)
        return u"high"_s;
    if (name == "minimal"_L1)
        return u"low"_s;
    return {};
}

ReasoningEffort ReasoningEffort::of(const MessageRequest &request) {
    ReasoningEffort effort;
    switch (request.thinking.type) {
    case ThinkingConfig::Type::Disabled:
        return effort;
    case ThinkingConfig::Type::Enabled:
        effort.on = true;
        effort.level = levelOf(request.effort);
        if (effort.level.isEmpty())
            effort.level = levelOfBudget(request.thinking.budgetTokens);
        return effort;
    case ThinkingConfig::Type::Adaptive:
        effort.on = true;
        effort.level = levelOf(request.effort);
        return effort;
    }
    return effort;
}

} // namespace modelrelay
