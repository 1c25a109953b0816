// The answer as Anthropic server-sent events, written as the backend's deltas arrive.
#pragma once

#include "AnswerWriter.h"
#include "anthropic/StreamEncoder.h"

#include <QTimer>

namespace modelrelay {

class SseAnswerWriter final : public AnswerWriter {
public:
    SseAnswerWriter(const Message &message, ResponseWriter &client, RequestRecord &record,
                    const QElapsedTimer &clock);
    ~SseAnswerWriter() override;

    void backendAccepted() override;
    void relay(const std::vector<StreamDelta> &deltas) override;
    std::optional<ApiError> complete() override;
    void fail(const ApiError &error) override;

private:
    void writeEvents(const QByteArray &events);

    StreamEncoder m_encoder;
    QTimer m_pingTimer;
};

} // namespace modelrelay
