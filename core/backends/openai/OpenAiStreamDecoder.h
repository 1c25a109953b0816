// Decodes an OpenAI Chat Completions SSE stream (data: {...} lines, [DONE]) into StreamDeltas.
#pragma once

#include "backends/StreamDecoder.h"

#include <QByteArray>

namespace modelrelay {

class OpenAiStreamDecoder final : public StreamDecoder {
public:
    void feed(QByteArrayView bytes, std::vector<StreamDelta> &out) override;
    void finish(std::vector<StreamDelta> &out) override;

private:
    void handleLine(QByteArrayView line, std::vector<StreamDelta> &out);

    QByteArray m_pending; // bytes of a line not yet terminated
    // more parse state as needed
};

} // namespace modelrelay
