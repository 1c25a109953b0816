// One kind of backend as the server drives it: builds the request and the stream decoder for its
// wire format, and may first ask the server something (a preflight: Ollama's /api/show to size
// num_ctx) or count a request's tokens with the server's own tokenizer (vLLM, llama.cpp server).
// The server never branches on the kind: BackendRegistry hands out the Backend of a profile.
#pragma once

#include "BackendRequest.h"
#include "StreamDecoder.h"
#include "anthropic/MessageRequest.h"
#include "config/BackendProfile.h"
#include "config/ModelTarget.h"

#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

namespace modelrelay {

// What one attempt sends: the HTTP request and the decoder for its answer.
struct BackendCall {
    BackendRequest request;
    std::unique_ptr<StreamDecoder> decoder;
};

class Backend {
public:
    // One attempt as planned before it is sent; a preflight may change the target.
    struct Attempt {
        ModelTarget target;
        int estimatedInputTokens = 0; // calibrated for target.backendModel
        int maxOutputTokens = 0;      // what the request will ask for, after caps
        QStringList notes;            // for the request log
        QString warning;              // a problem that does not fail the request
    };
    struct TokenCount {
        std::optional<int> tokens; // none: use the estimate
        QString note;              // which tokenizer counted, or why none did
    };

    virtual ~Backend() = default;

    // Calls ready (maybe at once, always on this thread) with the attempt as it should be sent.
    virtual void preflight(const BackendProfile &profile, Attempt attempt,
                           std::function<void(Attempt)> ready);
    // The request for this backend. clientHeaders are the client's request headers (with its
    // credentials: never log them), for backends that forward some of them.
    virtual BackendCall prepare(const MessageRequest &request, const ModelTarget &target,
                                const BackendProfile &profile, const HttpHeaders &clientHeaders,
                                QStringList *notes) const = 0;
    // Counts the prompt tokens with the backend's own tokenizer; calls done exactly once.
    virtual void countTokens(const MessageRequest &request, const ModelTarget &target,
                             const BackendProfile &profile, std::function<void(TokenCount)> done);
};

} // namespace modelrelay
