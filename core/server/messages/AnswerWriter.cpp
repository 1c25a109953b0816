#include "AnswerWriter.h"

#include "JsonAnswerWriter.h"
#include "SseAnswerWriter.h"
#include "anthropic/AnswerAssembler.h"
#include "server/http/ResponseWriter.h"

namespace modelrelay {

std::unique_ptr<AnswerWriter> AnswerWriter::create(bool stream, const Message &message,
                                                   ResponseWriter &client, RequestRecord &record,
                                                   const QElapsedTimer &clock) {
    if (stream)
        return std::make_unique<SseAnswerWriter>(message, client, record, clock);
    return std::make_unique<JsonAnswerWriter>(message, client, record, clock);
}

AnswerWriter::AnswerWriter(ResponseWriter &client, RequestRecord &record, const QElapsedTimer &clock)
    : m_client(client)
    , m_record(record)
    , m_clock(clock) {}

AnswerWriter::~AnswerWriter() = default;

bool AnswerWriter::hasStarted() const {
    return m_client.hasStarted();
}

void AnswerWriter::sendWhole(int status, const QByteArray &json) {
    m_record.status = status;
    m_client.sendComplete(status, QByteArrayLiteral("application/json"), json);
    RequestRecord::appendCapped(m_record.response, json);
    recordWrite(json);
}

void AnswerWriter::recordWrite(const QByteArray &bytes) {
    RequestRecord::appendTimedCapped(m_record.clientWrites, m_recordedBytes, m_clock.elapsed(), bytes);
}

void AnswerWriter::noteFirstToken() {
    if (m_record.timeToFirstTokenMs < 0)
        m_record.timeToFirstTokenMs = m_clock.elapsed();
}

void AnswerWriter::noteResult(const Usage &usage, StopReason stopReason) {
    m_record.inputTokens = usage.inputTokens;
    m_record.outputTokens = usage.outputTokens;
    m_record.stopReason = stopReasonName(stopReason);
}

} // namespace modelrelay
