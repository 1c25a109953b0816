// Decodes an Ollama /api/chat NDJSON stream into StreamDeltas.
#pragma once

#include "backends/StreamDecoder.h"

#include <QByteArray>

namespace modelrelay {

class OllamaStreamDecoder final : public StreamDecoder {
public:
    void feed(QByteArrayView bytes, std::vector<StreamDelta> &out) override;
    void finish(std::vector<StreamDelta> &out) override;

private:
    void handleLine(QByteArrayView line, std::vector<StreamDelta> &out);

    QByteArray m_pending;
    int m_nextToolIndex = 0;
};

} // namespace modelrelay
