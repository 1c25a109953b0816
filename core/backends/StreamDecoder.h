// Turns one backend's streamed response body into backend-neutral StreamDeltas.
// Implementations are pure: they keep only parse state, so any split of the input bytes
// yields the same deltas.
#pragma once

#include "anthropic/StreamDelta.h"
#include "backends/LineBuffer.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <vector>

namespace modelrelay {

class StreamDecoder {
public:
    virtual ~StreamDecoder() = default;

    // Consumes the next bytes of the response body and appends the deltas they complete.
    virtual void feed(QByteArrayView bytes, std::vector<StreamDelta> &out) = 0;

    // The body has ended: flushes a last line that had no terminator.
    virtual void finish(std::vector<StreamDelta> &out) = 0;

    // A message the backend reported inside an otherwise successful (2xx) stream, e.g.
    // OpenAI's `data: {"error":{...}}` or Ollama's `{"error":"..."}`. Empty when none.
    QString backendError() const { return m_backendError; }

    // What the decoder changed in the answer, for the request log (e.g. repaired tool arguments).
    virtual QStringList notes() const { return {}; }

protected:
    // A line over the buffer's limit ends the stream as an error of the backend's.
    void noteOverflow(const LineBuffer &lines) {
        if (lines.overflowed() && m_backendError.isEmpty())
            m_backendError = lines.overflowMessage();
    }

    QString m_backendError;
};

} // namespace modelrelay
