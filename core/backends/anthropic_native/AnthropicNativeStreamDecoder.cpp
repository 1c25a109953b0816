#include "AnthropicNativeStreamDecoder.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <utility>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

StopReason stopReasonFor(const QString &reason) {
    if (reason == "max_tokens"_L1 || reason == "model_context_window_exceeded"_L1)
        return StopReason::MaxTokens;
    if (reason == "stop_sequence"_L1)
        return StopReason::StopSequence;
    if (reason == "tool_use"_L1)
        return StopReason::ToolUse;
    if (reason == "refusal"_L1)
        return StopReason::Refusal;
    return StopReason::EndTurn; // end_turn, pause_turn, and names this proxy does not know
}

std::optional<int> optionalInt(const QJsonObject &o, QLatin1StringView key) {
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    return v.toInt();
}

} // namespace

void AnthropicNativeStreamDecoder::feed(QByteArrayView bytes, std::vector<StreamDelta> &out) {
    m_lines.feed(bytes, [&](QByteArrayView line) { handleLine(line, out); });
    noteOverflow(m_lines);
}

void AnthropicNativeStreamDecoder::finish(std::vector<StreamDelta> &out) {
    m_lines.finish([&](QByteArrayView line) { handleLine(line, out); });
    dispatch(out); // a last event without its blank line
}

void AnthropicNativeStreamDecoder::handleLine(QByteArrayView line, std::vector<StreamDelta> &out) {
    if (line.isEmpty()) {
        dispatch(out); // a blank line ends an event
        return;
    }
    if (line.startsWith("event:")) {
        // The event name repeats the data's "type"; a new one means the last event ended.
        dispatch(out);
        return;
    }
    if (!line.startsWith("data:"))
        return; // ": comments", id:, retry:
    QByteArrayView data = line.sliced(5);
    if (data.startsWith(' '))
        data = data.sliced(1);
    if (!m_data.isEmpty())
        m_data.append('\n');
    m_data.append(data);
}

void AnthropicNativeStreamDecoder::dispatch(std::vector<StreamDelta> &out) {
    if (m_data.isEmpty())
        return;
    const QByteArray data = std::exchange(m_data, {});
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(data, &error);
    if (error.error == QJsonParseError::NoError && document.isObject()) {
        handleEvent(document.object(), out);
        return;
    }
    // Servers that leave out the blank line between events: each data line is an event.
    if (data.contains('\n')) {
        for (const QByteArray &line : data.split('\n')) {
            const QJsonDocument single = QJsonDocument::fromJson(line, &error);
            if (error.error == QJsonParseError::NoError && single.isObject())
                handleEvent(single.object(), out);
            else
                ++m_skippedEvents;
        }
        return;
    }
    ++m_skippedEvents;
}

void AnthropicNativeStreamDecoder::handleEvent(const QJsonObject &event, std::vector<StreamDelta> &out) {
    const QString type = event.value("type"_L1).toString();
    if (type == "content_block_delta"_L1) {
        blockDelta(event, out);
    } else if (type == "content_block_start"_L1) {
        blockStarted(event, out);
    } else if (type == "content_block_stop"_L1) {
        blockStopped(event, out);
    } else if (type == "message_start"_L1) {
        // Its output_tokens is a placeholder; message_delta brings the real count.
        const QJsonObject usage = event.value("message"_L1).toObject().value("usage"_L1).toObject();
        Usage reported;
        reported.inputTokens = optionalInt(usage, "input_tokens"_L1);
        reported.cacheReadInputTokens = optionalInt(usage, "cache_read_input_tokens"_L1);
        if (reported.inputTokens || reported.cacheReadInputTokens)
            out.push_back(StreamDelta::usageReport(reported));
    } else if (type == "message_delta"_L1) {
        messageDelta(event, out);
    } else if (type == "message_stop"_L1) {
        if (!m_finishSent) {
            m_finishSent = true;
            out.push_back(StreamDelta::finish(StopReason::EndTurn));
        }
    } else if (type == "error"_L1) {
        const QJsonValue error = event.value("error"_L1);
        m_backendError = error.toObject().value("message"_L1).toString();
        m_backendErrorType = error.toObject().value("type"_L1).toString();
        if (m_backendError.isEmpty())
            m_backendError = error.isString()
                                 ? error.toString()
                                 : QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact));
    }
    // ping, and event types added to the API later, carry nothing to relay.
}

void AnthropicNativeStreamDecoder::blockStarted(const QJsonObject &event, std::vector<StreamDelta> &out) {
    const QJsonObject block = event.value("content_block"_L1).toObject();
    const QString type = block.value("type"_L1).toString();
    if (type == "text"_L1) {
        const QString text = block.value("text"_L1).toString();
        if (!text.isEmpty())
            out.push_back(StreamDelta::textFragment(text));
    } else if (type == "thinking"_L1) {
        const QString thinking = block.value("thinking"_L1).toString();
        if (!thinking.isEmpty())
            out.push_back(StreamDelta::reasoningFragment(thinking));
        const QString signature = block.value("signature"_L1).toString();
        if (!signature.isEmpty())
            out.push_back(StreamDelta::reasoningSignature(signature));
    } else if (type == "tool_use"_L1) {
        ToolBlock tool;
        tool.toolIndex = m_toolCount++;
        const QJsonObject input = block.value("input"_L1).toObject();
        if (!input.isEmpty())
            tool.startJson = QJsonDocument(input).toJson(QJsonDocument::Compact);
        m_toolBlocks.insert(event.value("index"_L1).toInt(), tool);
        out.push_back(StreamDelta::toolCallBegin(tool.toolIndex, block.value("id"_L1).toString(),
                                                 block.value("name"_L1).toString()));
    }
    // redacted_thinking and server tool blocks have no neutral form: they are left out.
}

void AnthropicNativeStreamDecoder::blockDelta(const QJsonObject &event, std::vector<StreamDelta> &out) {
    const QJsonObject delta = event.value("delta"_L1).toObject();
    const QString type = delta.value("type"_L1).toString();
    if (type == "text_delta"_L1) {
        out.push_back(StreamDelta::textFragment(delta.value("text"_L1).toString()));
    } else if (type == "thinking_delta"_L1) {
        out.push_back(StreamDelta::reasoningFragment(delta.value("thinking"_L1).toString()));
    } else if (type == "signature_delta"_L1) {
        out.push_back(StreamDelta::reasoningSignature(delta.value("signature"_L1).toString()));
    } else if (type == "input_json_delta"_L1) {
        auto tool = m_toolBlocks.find(event.value("index"_L1).toInt());
        const QString fragment = delta.value("partial_json"_L1).toString();
        if (tool == m_toolBlocks.end() || fragment.isEmpty())
            return;
        tool->sawArguments = true;
        out.push_back(StreamDelta::toolCallArgs(tool->toolIndex, fragment));
    }
}

void AnthropicNativeStreamDecoder::blockStopped(const QJsonObject &event, std::vector<StreamDelta> &out) {
    const auto tool = m_toolBlocks.constFind(event.value("index"_L1).toInt());
    // Some servers put the whole input in content_block_start and send no input_json_delta.
    if (tool != m_toolBlocks.constEnd() && !tool->sawArguments && !tool->startJson.isEmpty())
        out.push_back(StreamDelta::toolCallArgs(tool->toolIndex, QString::fromUtf8(tool->startJson)));
}

void AnthropicNativeStreamDecoder::messageDelta(const QJsonObject &event, std::vector<StreamDelta> &out) {
    const QJsonObject usage = event.value("usage"_L1).toObject();
    Usage reported;
    reported.inputTokens = optionalInt(usage, "input_tokens"_L1);
    reported.outputTokens = optionalInt(usage, "output_tokens"_L1);
    reported.cacheReadInputTokens = optionalInt(usage, "cache_read_input_tokens"_L1);
    if (reported.inputTokens || reported.outputTokens || reported.cacheReadInputTokens)
        out.push_back(StreamDelta::usageReport(reported));

    const QJsonObject delta = event.value("delta"_L1).toObject();
    const QJsonValue stopReason = delta.value("stop_reason"_L1);
    if (stopReason.isString() && !m_finishSent) {
        m_finishSent = true;
        out.push_back(StreamDelta::finish(stopReasonFor(stopReason.toString()),
                                          delta.value("stop_sequence"_L1).toString()));
    }
}

} // namespace modelrelay
