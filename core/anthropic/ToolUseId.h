// Tool-use ids as Anthropic clients accept them: ^[a-zA-Z0-9_-]+$. Backends make ids of their own
// (Kimi: "functions.Bash:0"); Claude Code refuses a tool_use whose id breaks the pattern.
#pragma once

#include <QString>

namespace modelrelay {

class ToolUseId {
public:
    // The id unchanged when it is valid; otherwise the invalid characters replaced by '_' and a
    // digest of the original appended, so different ids stay different. The same id always maps
    // to the same result: a tool_use and the tool_result that answers it still match, whichever
    // direction they travel.
    static QString sanitized(const QString &id);
    static bool isValid(const QString &id);
};

} // namespace modelrelay
