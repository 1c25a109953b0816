// Collects backend-neutral StreamDeltas into one non-streaming Anthropic message, following the
// same block rules as StreamEncoder, so the JSON and SSE paths agree by construction.
#pragma once

#include "ApiError.h"
#include "StreamDelta.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <variant>

namespace modelrelay {

class MessageAccumulator {
public:
    MessageAccumulator(QString messageId, QString clientModel, int estimatedInputTokens);
    ~MessageAccumulator();

    void add(const StreamDelta &delta);
    // The compact JSON message, or an error when the backend's answer never finished.
    std::variant<QByteArray, ApiError> finish() const;

    Usage usage() const;
    StopReason stopReason() const;

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace modelrelay
