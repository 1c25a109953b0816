// Decodes an Ollama /api/chat NDJSON stream into StreamDeltas.
#pragma once

#include "backends/JsonLineReader.h"
#include "backends/LineBuffer.h"
#include "backends/StreamDecoder.h"

#include <QJsonObject>

namespace modelrelay {

class OllamaStreamDecoder final : public StreamDecoder {
public:
    void feed(QByteArrayView bytes, std::vector<StreamDelta> &out) override;
    void finish(std::vector<StreamDelta> &out) override;

    int skippedLines() const { return m_json.skipped(); }
    QStringList notes() const override { return m_json.notes(); }

private:
    void handleLine(QByteArrayView line, std::vector<StreamDelta> &out);
    void handleObject(const QJsonObject &object, std::vector<StreamDelta> &out);

    LineBuffer m_lines;
    int m_nextToolIndex = 0;
    bool m_done = false;
    JsonLineReader m_json;
};

} // namespace modelrelay
