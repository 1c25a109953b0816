#include "MessagesExchange.h"

#include "server/http/ResponseWriter.h"
#include "transport/BackendReply.h"
#include "transport/BackendTransport.h"

namespace modelrelay {

namespace {
constexpr qsizetype kMaxErrorBodyBytes = 64 * 1024;
} // namespace

MessagesExchange::MessagesExchange(Setup setup, ResponseWriter &client, BackendTransport &transport,
                                   QObject *parent)
    : QObject(parent)
    , m_setup(std::move(setup))
    , m_client(client)
    , m_answer(AnswerWriter::create(m_setup.stream, m_setup.message, client, m_setup.record, m_setup.clock))
    , m_transport(transport) {
    m_firstByteTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    connect(&m_firstByteTimer, &QTimer::timeout, this, [this] {
        failBeforeAnswer(
            0, BackendErrorTranslator::firstByteTimeout(m_setup.context, m_setup.firstByteTimeoutMs));
    });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        completeWithError(BackendErrorTranslator::streamStalled(m_setup.context, m_setup.idleTimeoutMs));
    });
    connect(&client, &ResponseWriter::clientDisconnected, this, &MessagesExchange::onClientGone);
}

MessagesExchange::~MessagesExchange() {
    abortBackend();
}

void MessagesExchange::start() {
    if (!m_client.isClientConnected()) {
        onClientGone();
        return;
    }
    m_reply = m_transport.post(m_setup.call.request);
    connect(m_reply, &BackendReply::headReceived, this, &MessagesExchange::onHead);
    connect(m_reply, &BackendReply::bytesArrived, this, &MessagesExchange::onBytes);
    connect(m_reply, &BackendReply::finished, this, &MessagesExchange::onReplyFinished);
    m_firstByteTimer.start(m_setup.firstByteTimeoutMs);
}

void MessagesExchange::onHead() {
    if (m_done || m_httpStatus != 0)
        return;
    m_httpStatus = m_reply->status();
    if (m_httpStatus == 0)
        return;
    m_firstByteTimer.stop();
    m_idleTimer.start(m_setup.idleTimeoutMs);
    if (!httpStatusIsError())
        m_answer->backendAccepted();
}

void MessagesExchange::onBytes() {
    if (m_done)
        return;
    if (m_httpStatus == 0)
        onHead();
    const QByteArray bytes = m_reply->readAll();
    if (bytes.isEmpty())
        return;
    recordBackendRead(bytes);
    m_firstByteTimer.stop();
    m_idleTimer.start(m_setup.idleTimeoutMs);
    if (httpStatusIsError()) {
        if (m_errorBody.size() < kMaxErrorBodyBytes)
            m_errorBody.append(bytes.left(kMaxErrorBodyBytes - m_errorBody.size()));
        return;
    }
    decode(bytes);
}

void MessagesExchange::decode(const QByteArray &bytes) {
    m_receivedBytes = true;
    m_deltas.clear();
    m_setup.call.decoder->feed(bytes, m_deltas);
    m_answer->relay(m_deltas);
    if (!m_setup.call.decoder->backendError().isEmpty())
        completeWithError(BackendErrorTranslator::answerError(m_setup.context, *m_setup.call.decoder));
}

void MessagesExchange::recordBackendRead(const QByteArray &bytes) {
    // readAll() leaves a read buffer of 16 KB or more behind a chunk of a few hundred bytes:
    // sharing it would keep megabytes per stream alive. A tight copy keeps only the bytes.
    const QByteArray tight =
        bytes.capacity() > bytes.size() + 256 ? QByteArray(bytes.constData(), bytes.size()) : bytes;
    RequestRecord::appendTimedCapped(m_setup.record.backendChunks, m_recordedBackendBytes,
                                     m_setup.clock.elapsed(), tight);
}

void MessagesExchange::onReplyFinished() {
    if (m_done)
        return;
    if (m_httpStatus == 0)
        m_httpStatus = m_reply->status();
    const QByteArray rest = m_reply->readAll();
    recordBackendRead(rest);
    if (!rest.isEmpty()) {
        if (httpStatusIsError() && m_httpStatus != 0)
            m_errorBody.append(rest.left(kMaxErrorBodyBytes));
        else
            decode(rest);
        if (m_done)
            return;
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
    m_answer->relay(m_deltas);
    if (!m_setup.call.decoder->backendError().isEmpty()) {
        completeWithError(BackendErrorTranslator::answerError(m_setup.context, *m_setup.call.decoder));
        return;
    }
    completeSuccessfully();
}

void MessagesExchange::completeSuccessfully() {
    if (m_done)
        return;
    // A 2xx answer without a byte of body is an answer cut before it began.
    if (!m_receivedBytes) {
        completeWithError(BackendErrorTranslator::streamCut(m_setup.context));
        return;
    }
    if (const auto error = m_answer->complete()) {
        completeWithError(*error);
        return;
    }
    end(ExchangeOutcome::Kind::Answered);
}

void MessagesExchange::failBeforeAnswer(int httpStatus, const ApiError &error) {
    if (m_done)
        return;
    if (m_answer->hasStarted()) {
        completeWithError(error);
        return;
    }
    end(ExchangeOutcome::Kind::NotAnswered, httpStatus, error);
}

void MessagesExchange::completeWithError(const ApiError &error) {
    if (m_done)
        return;
    m_answer->fail(error);
    end(ExchangeOutcome::Kind::Answered);
}

void MessagesExchange::onClientGone() {
    if (m_done)
        return;
    if (m_setup.record.status == 0)
        m_setup.record.status = 499; // nginx's "client closed request": nothing was answered
    m_setup.record.error = QStringLiteral("the client disconnected before the answer was complete");
    end(ExchangeOutcome::Kind::ClientGone);
}

void MessagesExchange::end(ExchangeOutcome::Kind kind, int httpStatus, const ApiError &error) {
    m_done = true;
    abortBackend();
    m_answer.reset(); // stops its pings; it writes into the record handed out below
    disconnect(&m_client, nullptr, this, nullptr);
    if (m_setup.call.decoder)
        m_setup.record.notes += m_setup.call.decoder->notes();
    m_setup.record.durationMs = m_setup.clock.elapsed();
    ExchangeOutcome outcome;
    outcome.kind = kind;
    outcome.record = std::move(m_setup.record);
    outcome.backendStatus = httpStatus;
    outcome.backendErrorBody = m_errorBody;
    outcome.error = error;
    emit finished(outcome);
}

void MessagesExchange::abortBackend() {
    m_firstByteTimer.stop();
    m_idleTimer.stop();
    if (BackendReply *reply = m_reply.data()) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace modelrelay
