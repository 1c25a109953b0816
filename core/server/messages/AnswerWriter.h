// How one attempt's answer reaches the client: Anthropic SSE events as the backend streams
// (SseAnswerWriter), or one JSON message at the end (JsonAnswerWriter). The exchange drives both
// through this interface, so the two paths agree; each also fills the record with what the
// client got (status, body, timed writes, time to first token, usage, stop reason).
#pragma once

#include "anthropic/ApiError.h"
#include "anthropic/StreamDelta.h"
#include "records/RequestRecord.h"

#include <QElapsedTimer>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace modelrelay {

class ResponseWriter;

class AnswerWriter {
public:
    struct Message {
        QString id; // msg_...
        QString clientModel;
        int estimatedInputTokens = 0;
    };
    static std::unique_ptr<AnswerWriter> create(bool stream, const Message &message, ResponseWriter &client,
                                                RequestRecord &record, const QElapsedTimer &clock);
    virtual ~AnswerWriter();
    AnswerWriter(const AnswerWriter &) = delete;
    AnswerWriter &operator=(const AnswerWriter &) = delete;

    // The backend accepted the request (a 2xx head): a stream sends its head and message_start
    // now, and keeps the client alive with pings while a slow model reads a long prompt.
    virtual void backendAccepted() = 0;
    virtual void relay(const std::vector<StreamDelta> &deltas) = 0;
    // The backend's answer ended normally; nullopt when it went out whole, else the error that
    // keeps it from being complete (then call fail()).
    virtual std::optional<ApiError> complete() = 0;
    // Ends the answer with an error: a status and JSON body while nothing was sent, else an
    // error event inside the open block (which makes Claude Code send the request again).
    virtual void fail(const ApiError &error) = 0;

    // Some of the answer was handed to the client: it can no longer go to another backend.
    bool hasStarted() const;

protected:
    AnswerWriter(ResponseWriter &client, RequestRecord &record, const QElapsedTimer &clock);
    void sendWhole(int status, const QByteArray &json); // a complete JSON response
    void recordWrite(const QByteArray &bytes);          // what the client got, timed
    void noteFirstToken();
    void noteResult(const Usage &usage, StopReason stopReason);

    ResponseWriter &m_client;
    RequestRecord &m_record;

private:
    QElapsedTimer m_clock;
    qsizetype m_recordedBytes = 0; // kept in record.clientWrites
};

} // namespace modelrelay
