// Parses and validates an Anthropic Messages API request body into a MessageRequest.
// Tolerant by design: unknown fields and block types are dropped with a note, never rejected.
#pragma once

#include "ApiError.h"
#include "MessageRequest.h"

#include <QByteArray>
#include <variant>

namespace modelrelay {

struct ParseOptions {
    bool requireMaxTokens = true;   // false for /v1/messages/count_tokens
    bool keepBillingHeader = false; // keep the x-anthropic-billing-header system block
};

class RequestParser {
public:
    static std::variant<MessageRequest, ApiError> parse(const QByteArray &body, const ParseOptions &options);
    // Claude Code's "x-anthropic-billing-header: ..." system text.
    static bool isBillingHeader(const QString &systemText);
};

} // namespace modelrelay
