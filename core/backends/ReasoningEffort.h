// What the client asked of the model's reasoning, in the terms backends take: off, or on with an
// effort level. Claude Code sends thinking {type:"adaptive"} with output_config.effort
// ("low" ... "max"), or {type:"enabled", budget_tokens}; no thinking field means none.
#pragma once

#include "anthropic/MessageRequest.h"

#include <QString>

namespace modelrelay {

struct ReasoningEffort {
    bool on = false;
    QString level; // "low" | "medium" | "high"; empty: the model's own default

    static ReasoningEffort of(const MessageRequest &request);
    // "xhigh" and "max" are "high": backends take at most that. Empty for names it does not know.
    static QString levelOf(const QString &effort);
};

} // namespace modelrelay
