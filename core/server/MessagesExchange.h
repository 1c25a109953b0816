// One in-flight /v1/messages request after validation: sends it to the backend, relays the
// backend's answer to the client as it arrives (SSE) or collected (JSON), enforces timeouts,
// aborts the backend request when the client leaves, and reports a RequestRecord at the end.
#pragma once

#include "HttpCompat.h"
#include "anthropic/MessageAccumulator.h"
#include "anthropic/StreamEncoder.h"
#include "backends/BackendErrorTranslator.h"
#include "backends/BackendProtocol.h"
#include "records/RequestRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace modelrelay {

class MessagesExchange : public QObject {
    Q_OBJECT
public:
    struct Setup {
        RequestRecord record; // id, startedAt, client/backend model, stream, estimate, notes filled in
        BackendCall call;
        BackendContext context;
        QString messageId;
        int firstByteTimeoutMs = 600000;
        int idleTimeoutMs = 300000;
        QElapsedTimer clock; // started when the request arrived
        // Asked when the backend fails before anything reached the client (an HTTP error, no
        // connection, no first byte in time; httpStatus is 0 when there was no HTTP answer), with
        // the error the client would get: true means "don't answer, I'll send it elsewhere or
        // again" (retryRequested() follows: take the writer).
        std::function<bool(int httpStatus, const QByteArray &body, const ApiError &error)> retryBeforeAnswer;
    };

    MessagesExchange(Setup setup, std::unique_ptr<ResponseWriter> writer, QNetworkAccessManager *network,
                     QObject *parent = nullptr);
    ~MessagesExchange() override;

    void start();
    std::unique_ptr<ResponseWriter> takeWriter();

signals:
    void finished(const modelrelay::RequestRecord &record);
    void retryRequested();

private:
    void onMetaDataChanged();
    void onReadyRead();
    void onReplyFinished();
    void onClientGone();
    void onFirstByteTimeout();
    void onIdleTimeout();

    bool httpStatusIsError() const { return m_httpStatus < 200 || m_httpStatus >= 300; }
    void beginStreamIfNeeded();
    void writeEvents(const QByteArray &events); // to the client, and into the record
    void recordBackendRead(const QByteArray &bytes);
    void recordClientWrite(const QByteArray &bytes);
    void relay(const std::vector<StreamDelta> &deltas);
    void noteFirstToken();
    void completeSuccessfully();
    void completeWithError(const ApiError &error);
    void failBeforeAnswer(int httpStatus, const ApiError &error); // the client may still be spared it
    void abortBackend();
    void report();

    Setup m_setup;
    std::unique_ptr<ResponseWriter> m_writer;
    QPointer<QNetworkAccessManager> m_network;
    QPointer<QNetworkReply> m_reply;
    std::optional<StreamEncoder> m_encoder;
    std::optional<MessageAccumulator> m_accumulator;
    QTimer m_firstByteTimer;
    QTimer m_idleTimer;
    QTimer m_pingTimer;
    QByteArray m_errorBody;
    std::vector<StreamDelta> m_deltas;    // reused per read to avoid reallocating
    qsizetype m_recordedBackendBytes = 0; // kept in record.backendChunks
    qsizetype m_recordedClientBytes = 0;  // kept in record.clientWrites
    int m_httpStatus = 0;
    bool m_receivedBytes = false;
    bool m_done = false;
};

} // namespace modelrelay
