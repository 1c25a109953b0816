// Decodes an Anthropic Messages SSE stream (event:/data: lines: message_start,
// content_block_start/delta/stop, message_delta, message_stop, ping, error) from a server that
// speaks the API natively into StreamDeltas, so the proxy's own encoder still owns what the
// client sees (its model name, message id and block order).
#pragma once

#include "backends/LineBuffer.h"
#include "backends/StreamDecoder.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>

namespace modelrelay {

class AnthropicNativeStreamDecoder final : public StreamDecoder {
public:
    void feed(QByteArrayView bytes, std::vector<StreamDelta> &out) override;
    void finish(std::vector<StreamDelta> &out) override;

    int skippedEvents() const { return m_skippedEvents; }

private:
    void handleLine(QByteArrayView line, std::vector<StreamDelta> &out);
    void dispatch(std::vector<StreamDelta> &out);
    void handleEvent(const QJsonObject &event, std::vector<StreamDelta> &out);
    void blockStarted(const QJsonObject &event, std::vector<StreamDelta> &out);
    void blockDelta(const QJsonObject &event, std::vector<StreamDelta> &out);
    void blockStopped(const QJsonObject &event, std::vector<StreamDelta> &out);
    void messageDelta(const QJsonObject &event, std::vector<StreamDelta> &out);

    struct ToolBlock {
        int toolIndex = 0;    // our numbering: tool_use blocks in order of appearance
        QByteArray startJson; // "input" of content_block_start, used when no input_json_delta follows
        bool sawArguments = false;
    };

    LineBuffer m_lines;
    QByteArray m_data;                  // data: lines of the event being read
    QHash<int, ToolBlock> m_toolBlocks; // by the backend's block index
    int m_toolCount = 0;
    bool m_finishSent = false;
    int m_skippedEvents = 0;
};

} // namespace modelrelay
