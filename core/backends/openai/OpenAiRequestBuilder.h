// Translates a MessageRequest into an OpenAI Chat Completions request ({base}/chat/completions).
#pragma once

#include "anthropic/MessageRequest.h"
#include "backends/BackendRequest.h"
#include "config/BackendProfile.h"
#include "config/ModelTarget.h"

#include <QJsonObject>

namespace modelrelay {

class OpenAiRequestBuilder {
public:
    // The JSON body; the request is always streamed (the non-streaming client path collects it).
    // Notes about degradations (capped max_tokens, dropped blocks) are appended to *notes.
    static QJsonObject buildBody(const MessageRequest &request, const ModelTarget &target,
                                 const BackendProfile &profile, QStringList *notes);
    static BackendRequest build(const MessageRequest &request, const ModelTarget &target,
                                const BackendProfile &profile, QStringList *notes);
};

} // namespace modelrelay
