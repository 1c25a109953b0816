#include "SseAnswerWriter.h"

#include "server/http/ResponseWriter.h"

namespace modelrelay {

namespace {
constexpr int kPingIntervalMs = 15000;
} // namespace

SseAnswerWriter::SseAnswerWriter(const Message &message, ResponseWriter &client, RequestRecord &record,
                                 const QElapsedTimer &clock)
    : AnswerWriter(client, record, clock)
    , m_encoder(message.id, message.clientModel, message.estimatedInputTokens) {
    m_pingTimer.setInterval(kPingIntervalMs);
    QObject::connect(&m_pingTimer, &QTimer::timeout, &m_pingTimer, [this] {
        const QByteArray ping = m_encoder.ping();
        m_client.writeChunk(ping);
        recordWrite(ping);
    });
}

SseAnswerWriter::~SseAnswerWriter() = default;

void SseAnswerWriter::backendAccepted() {
    if (m_client.hasStarted())
        return;
    m_client.beginStream(200, QByteArrayLiteral("text/event-stream; charset=utf-8"),
                         {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache")},
                          {QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no")}});
    m_record.status = 200;
    writeEvents(m_encoder.start());
    m_pingTimer.start();
}

void SseAnswerWriter::relay(const std::vector<StreamDelta> &deltas) {
    if (deltas.empty())
        return;
    backendAccepted();
    QByteArray events;
    for (const StreamDelta &delta : deltas)
        events += m_encoder.encode(delta);
    if (!events.isEmpty()) {
        m_pingTimer.start(); // restart: pings only fill silences
        writeEvents(events);
    }
    if (m_encoder.hasContent())
        noteFirstToken();
}

std::optional<ApiError> SseAnswerWriter::complete() {
    backendAccepted();
    m_pingTimer.stop();
    writeEvents(m_encoder.finish());
    m_client.endStream();
    noteResult(m_encoder.usage(), m_encoder.stopReason());
    return std::nullopt;
}

void SseAnswerWriter::fail(const ApiError &error) {
    m_pingTimer.stop();
    m_record.error = error.message;
    if (!m_client.hasStarted()) {
        sendWhole(error.httpStatus(), error.toJson());
        return;
    }
    // The head is out: the error travels inside the stream, after every open block is closed.
    writeEvents(m_encoder.fail(error));
    m_client.endStream();
    const Usage usage = m_encoder.usage();
    m_record.inputTokens = usage.inputTokens;
    m_record.outputTokens = usage.outputTokens;
}

void SseAnswerWriter::writeEvents(const QByteArray &events) {
    m_client.writeChunk(events);
    RequestRecord::appendCapped(m_record.response, events);
    recordWrite(events);
}

} // namespace modelrelay
