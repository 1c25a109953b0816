// Picks the request builder and stream decoder of the configured backend kind.
#pragma once

#include "BackendRequest.h"
#include "StreamDecoder.h"
#include "anthropic/MessageRequest.h"
#include "config/BackendProfile.h"
#include "config/ModelTarget.h"

#include <memory>

namespace modelrelay {

struct BackendCall {
    BackendRequest request;
    std::unique_ptr<StreamDecoder> decoder;
};

class BackendProtocol {
public:
    static BackendCall prepare(const MessageRequest &request, const ModelTarget &target,
                               const BackendProfile &profile, QStringList *notes);
    static QString displayName(BackendKind kind); // "Ollama", "OpenAI-compatible", "Anthropic-compatible"
};

} // namespace modelrelay
