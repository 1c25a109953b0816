// One attempt of a /v1/messages request against one backend: sends the request, decodes the
// answer as it arrives and hands the deltas to one AnswerWriter (SSE or JSON), enforces the
// first-byte and idle timeouts, aborts the backend request when the client leaves, and ends
// with an ExchangeOutcome. A failure before anything reached the client is not answered here:
// the delivery decides whether another attempt gets the client.
#pragma once

#include "AnswerWriter.h"
#include "ExchangeOutcome.h"
#include "backends/Backend.h"
#include "backends/BackendErrorTranslator.h"
#include "records/RequestRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

namespace modelrelay {

class BackendReply;
class BackendTransport;
class ResponseWriter;

class MessagesExchange : public QObject {
    Q_OBJECT
public:
    struct Setup {
        RequestRecord record; // as the delivery has it so far; the exchange completes it
        BackendCall call;
        BackendContext context;
        AnswerWriter::Message message;
        bool stream = false;
        int firstByteTimeoutMs = 600000;
        int idleTimeoutMs = 300000;
        QElapsedTimer clock; // started when the request arrived
    };

    MessagesExchange(Setup setup, ResponseWriter &client, BackendTransport &transport,
                     QObject *parent = nullptr);
    ~MessagesExchange() override;

    void start();

signals:
    void finished(const modelrelay::ExchangeOutcome &outcome);

private:
    void onHead();
    void onBytes();
    void onReplyFinished();
    void onClientGone();

    bool httpStatusIsError() const { return m_httpStatus < 200 || m_httpStatus >= 300; }
    void decode(const QByteArray &bytes);
    void recordBackendRead(const QByteArray &bytes);
    void completeSuccessfully();
    void completeWithError(const ApiError &error); // answers the client with it
    void failBeforeAnswer(int httpStatus, const ApiError &error);
    void end(ExchangeOutcome::Kind kind, int httpStatus = 0, const ApiError &error = {});
    void abortBackend();

    Setup m_setup;
    ResponseWriter &m_client;
    std::unique_ptr<AnswerWriter> m_answer;
    BackendTransport &m_transport;
    QPointer<BackendReply> m_reply;
    QTimer m_firstByteTimer;
    QTimer m_idleTimer;
    QByteArray m_errorBody;
    std::vector<StreamDelta> m_deltas;    // reused per read to avoid reallocating
    qsizetype m_recordedBackendBytes = 0; // kept in record.backendChunks
    int m_httpStatus = 0;
    bool m_receivedBytes = false;
    bool m_done = false;
};

} // namespace modelrelay
