// Forwards an Anthropic Messages request to a server that speaks that API itself
// ({base}/v1/messages: Ollama >= 0.14, llama.cpp server, LM Studio, vLLM): the client's JSON as
// it came, except for the mapped model, the capped max_tokens and the fixes every backend gets.
#pragma once

#include "anthropic/MessageRequest.h"
#include "backends/BackendRequest.h"
#include "config/BackendProfile.h"
#include "config/ModelTarget.h"

#include <QJsonObject>

namespace modelrelay {

class AnthropicNativeRequestBuilder {
public:
    // The client's body with: model = the mapped model; max_tokens capped (and a thinking budget
    // that no longer fits lowered); stream always true (the non-streaming client path collects
    // it); the billing system block left out when the parser dropped it; inline role "system"
    // messages moved to the end of the system prompt; metadata (user identifiers) removed; tool
    // input schemas cleaned as the profile's ToolSchemaPolicy asks.
    static QJsonObject buildBody(const MessageRequest &request, const ModelTarget &target,
                                 const BackendProfile &profile, QStringList *notes);
    static BackendRequest build(const MessageRequest &request, const ModelTarget &target,
                                const BackendProfile &profile, QStringList *notes);
    // {base}/v1/messages, or {base}/messages when the base URL already ends with /v1.
    static QUrl messagesUrl(const QUrl &base);
};

} // namespace modelrelay
