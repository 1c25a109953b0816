// The answer as one Anthropic JSON message, collected from the backend's deltas and sent at the end.
#pragma once

#include "AnswerWriter.h"
#include "anthropic/MessageAccumulator.h"

namespace modelrelay {

class JsonAnswerWriter final : public AnswerWriter {
public:
    JsonAnswerWriter(const Message &message, ResponseWriter &client, RequestRecord &record,
                     const QElapsedTimer &clock);

    void backendAccepted() override {}
    void relay(const std::vector<StreamDelta> &deltas) override;
    std::optional<ApiError> complete() override;
    void fail(const ApiError &error) override;

private:
    MessageAccumulator m_accumulator;
};

} // namespace modelrelay
