// Decodes an OpenAI Chat Completions SSE stream (data: {...} lines, [DONE]) into StreamDeltas.
#pragma once

#include "backends/JsonLineReader.h"
#include "backends/LineBuffer.h"
#include "backends/StreamDecoder.h"

#include <QJsonObject>
#include <vector>

namespace modelrelay {

class OpenAiStreamDecoder final : public StreamDecoder {
public:
    void feed(QByteArrayView bytes, std::vector<StreamDelta> &out) override;
    void finish(std::vector<StreamDelta> &out) override;

    int skippedLines() const { return m_json.skipped(); }
    QStringList notes() const override { return m_json.notes(); }

private:
    void handleLine(QByteArrayView line, std::vector<StreamDelta> &out);
    void handleChunk(const QJsonObject &chunk, std::vector<StreamDelta> &out);
    void handleToolCalls(const QJsonArray &calls, std::vector<StreamDelta> &out);

    struct ToolCallSeen {
        int backendIndex; // tool_calls[].index as the backend numbers it
        QString id;
        QString name;
    };

    LineBuffer m_lines;
    std::vector<ToolCallSeen> m_toolCalls; // in order of first appearance: our index is the position
    bool m_finishSent = false;
    bool m_done = false;
    JsonLineReader m_json;
};

} // namespace modelrelay
