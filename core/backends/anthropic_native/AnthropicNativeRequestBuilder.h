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
    // The request for {base}/v1/messages (with ?beta=true when the client called that), with the
    // client's anthropic-version and anthropic-beta (betas decide features such as interleaved
    // thinking), and the profile's API key; a profile without one forwards the client's own
    // x-api-key and Authorization (clientHeaders: without ModelRelay's access token), so the relay
    // can sit in front of api.anthropic.com or a team gateway.
    static BackendRequest build(const MessageRequest &request, const ModelTarget &target,
                                const BackendProfile &profile, const HttpHeaders &clientHeaders,
                                QStringList *notes);
    // {base}/v1/messages, or {base}/messages when the base URL already ends with /v1.
    static QUrl messagesUrl(const QUrl &base);
};

} // namespace modelrelay
