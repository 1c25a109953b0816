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

    // Why the answer cannot be completed, empty when nothing stands in its way: a message the
    // backend reported inside an otherwise successful (2xx) stream (OpenAI's
    // `data: {"error":{...}}`, Ollama's `{"error":"..."}`), or the relay's own finding about the
    // answer (errorIsTheRelays()).
    QString backendError() const { return m_backendError; }
    // The Anthropic error type the backend gave with it (Anthropic-compatible servers), or "".
    QString backendErrorType() const { return m_backendErrorType; }
    // The relay found the answer unusable (e.g. tool arguments no repair makes a JSON object):
    // not something the backend reported.
    bool errorIsTheRelays() const { return m_errorIsTheRelays; }

    // What the decoder changed in the answer, for the request log (e.g. repaired tool arguments).
    virtual QStringList notes() const { return {}; }

protected:
    // A line over the buffer's limit ends the stream as an error of the backend's.
    void noteOverflow(const LineBuffer &lines) {
        if (lines.overflowed() && m_backendError.isEmpty())
            m_backendError = lines.overflowMessage();
    }

    QString m_backendError;
    QString m_backendErrorType;
    bool m_errorIsTheRelays = false;
};

} // namespace modelrelay
