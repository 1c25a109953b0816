// Turns backend-neutral StreamDeltas into the Anthropic SSE event stream. Owns Anthropic's
// rules: increasing block indices, one block open at a time, every block closed, tool input
// that parses as a JSON object at content_block_stop, exactly one message_delta, then
// message_stop; or, if the answer cannot be completed, an error event (inside the open block).
#pragma once

#include "ApiError.h"
#include "StreamDelta.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace modelrelay {

class StreamEncoder {
public:
    StreamEncoder(QString messageId, QString clientModel, int estimatedInputTokens);
    ~StreamEncoder();

    QByteArray start();                          // message_start
    QByteArray encode(const StreamDelta &delta); // zero or more events
    // The backend's body ended. If a Finish delta was seen: close blocks, message_delta,
    // message_stop. Otherwise the answer was cut: an error event, as fail() sends it.
    QByteArray finish();
    // An error event; a block still open stays open (see the .cpp for why).
    QByteArray fail(const ApiError &error);
    QByteArray ping() const; // "event: ping" keep-alive

    bool hasContent() const; // any content event emitted yet (time-to-first-token)
    bool isComplete() const; // message_stop or error emitted
    Usage usage() const;     // best known usage (backend-reported where available)
    StopReason stopReason() const;

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace modelrelay
