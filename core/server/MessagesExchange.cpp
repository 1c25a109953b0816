#include "MessagesExchange.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace modelrelay {

namespace {
constexpr int kPingIntervalMs = 15000;
constexpr qsizetype kMaxErrorBodyBytes = 64 * 1024;
const QByteArray kEventStream = QByteArrayLiteral("text/event-stream; charset=utf-8");
const QByteArray kJson = QByteArrayLiteral("application/json");

QString stopReasonName(StopReason reason) {
    switch (reason) {
    case StopReason::EndTurn:
        return QStringLiteral("end_turn");
    case StopReason::MaxTokens:
        return QStringLiteral("max_tokens");
    case StopReason::StopSequence:
        return QStringLiteral("stop_sequence");
    case StopReason::ToolUse:
        return QStringLiteral("tool_use");
    case StopReason::Refusal:
        return QStringLiteral("refusal");
    }
    return {};
}

void applyUsage(RequestRecord &record, const Usage &usage) {
    record.inputTokens = usage.inputTokens;
    record.outputTokens = usage.outputTokens;
}
} // namespace

MessagesExchange::MessagesExchange(Setup setup, std::unique_ptr<ResponseWriter> writer,
                                   QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_setup(std::move(setup))
    , m_writer(std::move(writer))
    , m_network(network) {
    const RequestRecord &r = m_setup.record;
    if (r.stream)
        m_encoder.emplace(m_setup.messageId, r.clientModel, r.estimatedInputTokens);
    else
        m_accumulator.emplace(m_setup.messageId, r.clientModel, r.estimatedInputTokens);

    m_firstByteTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    m_pingTimer.setInterval(kPingIntervalMs);
    connect(&m_firstByteTimer, &QTimer::timeout, this, &MessagesExchange::onFirstByteTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, &MessagesExchange::onIdleTimeout);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        const QByteArray ping = m_encoder->ping();
        m_writer->writeChunk(ping);
        recordClientWrite(ping);
    });
    connect(m_writer.get(), &ResponseWriter::clientDisconnected, this, &MessagesExchange::onClientGone);
}

MessagesExchange::~MessagesExchange() {
    abortBackend();
}

std::unique_ptr<ResponseWriter> MessagesExchange::takeWriter() {
    return std::move(m_writer);
}

void MessagesExchange::start() {
    if (!m_writer->isClientConnected()) {
        onClientGone();
        return;
    }
    const BackendRequest &backend = m_setup.call.request;
    QNetworkRequest request(backend.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, kJson);
    for (const auto &[name, value] : backend.headers)
        request.setRawHeader(name, value);
    m_reply = m_network->post(request, backend.body);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &MessagesExchange::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &MessagesExchange::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &MessagesExchange::onReplyFinished);
    m_firstByteTimer.start(m_setup.firstByteTimeoutMs);
}

void MessagesExchange::onMetaDataChanged() {
    if (m_done || m_httpStatus != 0)
        return;
    m_httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_httpStatus == 0)
        return;
    m_firstByteTimer.stop();
    m_idleTimer.start(m_setup.idleTimeoutMs);
    // A 2xx answer means the backend accepted the request: the client can get its stream
    // header now, and pings keep it alive while a slow model processes a long prompt.
    if (!httpStatusIsError())
        beginStreamIfNeeded();
}

void MessagesExchange::beginStreamIfNeeded() {
    if (!m_encoder || m_writer->hasStarted())
        return;
    m_writer->beginStream(200, kEventStream,
                          {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache")},
                           {QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no")}});
    writeEvents(m_encoder->start());
    m_setup.record.status = 200;
    m_pingTimer.start();
}

void MessagesExchange::onReadyRead() {
    if (m_done)
        return;
    if (m_httpStatus == 0)
        onMetaDataChanged();
    const QByteArray bytes = m_reply->readAll();
    if (bytes.isEmpty())
        return;
    recordBackendRead(bytes);
    m_receivedBytes = true;
    m_firstByteTimer.stop();
    m_idleTimer.start(m_setup.idleTimeoutMs);

    if (httpStatusIsError()) {
        if (m_errorBody.size() < kMaxErrorBodyBytes)
            m_errorBody.append(bytes.left(kMaxErrorBodyBytes - m_errorBody.size()));
        return;
    }
    m_deltas.clear();
    m_setup.call.decoder->feed(bytes, m_deltas);
    relay(m_deltas);
    if (!m_setup.call.decoder->backendError().isEmpty())
        completeWithError(
            BackendErrorTranslator::streamError(m_setup.context, m_setup.call.decoder->backendError()));
}

void MessagesExchange::relay(const std::vector<StreamDelta> &deltas) {
    if (deltas.empty())
        return;
    if (m_accumulator) {
        for (const StreamDelta &delta : deltas) {
            if (delta.kind == StreamDelta::Kind::Text || delta.kind == StreamDelta::Kind::Reasoning)
                noteFirstToken();
            m_accumulator->add(delta);
        }
        return;
    }
    beginStreamIfNeeded();
    QByteArray events;
    for (const StreamDelta &delta : deltas)
        events += m_encoder->encode(delta);
    if (!events.isEmpty()) {
        m_pingTimer.start(); // restart: pings only fill silences
        writeEvents(events);
    }
    if (m_encoder->hasContent())
        noteFirstToken();
}

void MessagesExchange::writeEvents(const QByteArray &events) {
    m_writer->writeChunk(events);
    RequestRecord::appendCapped(m_setup.record.response, events);
    recordClientWrite(events);
}

void MessagesExchange::recordBackendRead(const QByteArray &bytes) {
    // readAll() leaves a read buffer of 16 KB or more behind a chunk of a few hundred bytes:
    // sharing it would keep megabytes per stream alive. A tight copy keeps only the bytes.
    const QByteArray tight =
        bytes.capacity() > bytes.size() + 256 ? QByteArray(bytes.constData(), bytes.size()) : bytes;
    RequestRecord::appendTimedCapped(m_setup.record.backendChunks, m_recordedBackendBytes,
                                     m_setup.clock.elapsed(), tight);
}

void MessagesExchange::recordClientWrite(const QByteArray &bytes) {
    RequestRecord::appendTimedCapped(m_setup.record.clientWrites, m_recordedClientBytes,
                                     m_setup.clock.elapsed(), bytes);
}

void MessagesExchange::noteFirstToken() {
    if (m_setup.record.timeToFirstTokenMs < 0)
        m_setup.record.timeToFirstTokenMs = m_setup.clock.elapsed();
}

void MessagesExchange::onReplyFinished() {
    if (m_done)
        return;
    if (m_httpStatus == 0)
        m_httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray rest = m_reply->readAll();
    recordBackendRead(rest);
    if (!rest.isEmpty()) {
        if (httpStatusIsError() && m_httpStatus != 0)
            m_errorBody.append(rest.left(kMaxErrorBodyBytes));
        else {
            m_receivedBytes = true;
            m_deltas.clear();
            m_setup.call.decoder->feed(rest, m_deltas);
            relay(m_deltas);
        }
    }

    if (m_httpStatus != 0 && httpStatusIsError()) {
        failBeforeAnswer(m_httpStatus,
                         BackendErrorTranslator::fromHttpStatus(m_setup.context, m_httpStatus, m_errorBody));
        return;
    }
    if (m_reply->error() != QNetworkReply::NoError) {
        if (m_receivedBytes)
            completeWithError(BackendErrorTranslator::streamCut(m_setup.context));
        else
            failBeforeAnswer(0, BackendErrorTranslator::fromNetworkError(m_setup.context, m_reply->error(),
                                                                         m_reply->errorString()));
        return;
    }
    m_deltas.clear();
    m_setup.call.decoder->finish(m_deltas);
    relay(m_deltas);
    if (!m_setup.call.decoder->backendError().isEmpty()) {
        completeWithError(
            BackendErrorTranslator::streamError(m_setup.context, m_setup.call.decoder->backendError()));
        return;
    }
    completeSuccessfully();
}

void MessagesExchange::completeSuccessfully() {
    if (m_done)
        return;
    if (m_encoder) {
        if (!m_writer->hasStarted() && !m_receivedBytes) {
            completeWithError(BackendErrorTranslator::streamCut(m_setup.context));
            return;
        }
        beginStreamIfNeeded();
        writeEvents(m_encoder->finish());
        m_writer->endStream();
        applyUsage(m_setup.record, m_encoder->usage());
        m_setup.record.stopReason = stopReasonName(m_encoder->stopReason());
        if (!m_encoder->isComplete() || m_setup.record.stopReason.isEmpty())
            m_setup.record.error = QStringLiteral("stream ended with an error event");
    } else {
        auto result = m_accumulator->finish();
        if (auto *error = std::get_if<ApiError>(&result)) {
            completeWithError(*error);
            return;
        }
        m_setup.record.status = 200;
        m_writer->sendComplete(200, kJson, std::get<QByteArray>(result));
        RequestRecord::appendCapped(m_setup.record.response, std::get<QByteArray>(result));
        recordClientWrite(std::get<QByteArray>(result));
        applyUsage(m_setup.record, m_accumulator->usage());
        m_setup.record.stopReason = stopReasonName(m_accumulator->stopReason());
    }
    m_done = true;
    report();
}

void MessagesExchange::failBeforeAnswer(int httpStatus, const ApiError &error) {
    if (m_done)
        return;
    if (m_setup.retryBeforeAnswer && !m_writer->hasStarted() &&
        m_setup.retryBeforeAnswer(httpStatus, m_errorBody, error)) {
        m_done = true;
        abortBackend();
        disconnect(m_writer.get(), nullptr, this, nullptr);
        emit retryRequested();
        return;
    }
    completeWithError(error);
}

void MessagesExchange::completeWithError(const ApiError &error) {
    if (m_done)
        return;
    m_done = true;
    abortBackend();
    m_setup.record.error = error.message;
    if (m_writer->hasStarted()) {
        // Headers are out: the error travels inside the stream, after every open block is closed.
        writeEvents(m_encoder->fail(error));
        m_writer->endStream();
        applyUsage(m_setup.record, m_encoder->usage());
    } else {
        m_setup.record.status = error.httpStatus();
        const QByteArray body = error.toJson();
        m_writer->sendComplete(error.httpStatus(), kJson, body);
        RequestRecord::appendCapped(m_setup.record.response, body);
        recordClientWrite(body);
    }
    report();
}

void MessagesExchange::onClientGone() {
    if (m_done)
        return;
    m_done = true;
    abortBackend();
    if (m_setup.record.status == 0)
        m_setup.record.status = 499; // nginx's "client closed request": nothing was answered
    m_setup.record.error = QStringLiteral("the client disconnected before the answer was complete");
    report();
}

void MessagesExchange::onFirstByteTimeout() {
    failBeforeAnswer(0,
                     BackendErrorTranslator::firstByteTimeout(m_setup.context, m_setup.firstByteTimeoutMs));
}

void MessagesExchange::onIdleTimeout() {
    completeWithError(BackendErrorTranslator::streamStalled(m_setup.context, m_setup.idleTimeoutMs));
}

void MessagesExchange::abortBackend() {
    m_firstByteTimer.stop();
    m_idleTimer.stop();
    m_pingTimer.stop();
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply = nullptr;
        reply->disconnect(this);
        if (reply->isRunning())
            reply->abort();
        reply->deleteLater();
    }
}

void MessagesExchange::report() {
    if (m_setup.call.decoder)
        m_setup.record.notes += m_setup.call.decoder->notes();
    m_setup.record.durationMs = m_setup.clock.elapsed();
    emit finished(m_setup.record);
}

} // namespace modelrelay
