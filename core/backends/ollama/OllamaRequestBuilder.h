// Translates a MessageRequest into an Ollama /api/chat request.
#pragma once

#include "anthropic/MessageRequest.h"
#include "backends/BackendRequest.h"
#include "config/BackendProfile.h"
#include "config/ModelTarget.h"

#include <QJsonObject>

namespace modelrelay {

class OllamaRequestBuilder {
public:
    static QJsonObject buildBody(const MessageRequest &request, const ModelTarget &target,
                                 const BackendProfile &profile, QStringList *notes);
    static BackendRequest build(const MessageRequest &request, const ModelTarget &target,
                                const BackendProfile &profile, QStringList *notes);
};

} // namespace modelrelay
