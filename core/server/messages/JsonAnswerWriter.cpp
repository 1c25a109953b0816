#include "JsonAnswerWriter.h"

namespace modelrelay {

JsonAnswerWriter::JsonAnswerWriter(const Message &message, ResponseWriter &client, RequestRecord &record,
                                   const QElapsedTimer &clock)
    : AnswerWriter(client, record, clock)
    , m_accumulator(message.id, message.clientModel, message.estimatedInputTokens) {}

void JsonAnswerWriter::relay(const std::vector<StreamDelta> &deltas) {
    for (const StreamDelta &delta : deltas) {
        if (delta.kind == StreamDelta::Kind::Text || delta.kind == StreamDelta::Kind::Reasoning)
            noteFirstToken();
        m_accumulator.add(delta);
    }
}

std::optional<ApiError> JsonAnswerWriter::complete() {
    auto result = m_accumulator.finish();
    if (auto *error = std::get_if<ApiError>(&result))
        return *error;
    sendWhole(200, std::get<QByteArray>(result));
    noteResult(m_accumulator.usage(), m_accumulator.stopReason());
    return std::nullopt;
}

void JsonAnswerWriter::fail(const ApiError &error) {
    m_record.error = error.message;
    sendWhole(error.httpStatus(), error.toJson());
}

} // namespace modelrelay
