#include "OpenAiStreamDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

StopReason stopReasonFor(const QString &finishReason) {
    if (finishReason == "length"_L1)
        return StopReason::MaxTokens;
    if (finishReason == "tool_calls"_L1 || finishReason == "function_call"_L1)
        return StopReason::ToolUse;
    if (finishReason == "content_filter"_L1)
        return StopReason::Refusal;
    return StopReason::EndTurn;
}

std::optional<int> optionalInt(const QJsonObject &o, QLatin1StringView key) {
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    return v.toInt();
}

} // namespace

void OpenAiStreamDecoder::feed(QByteArrayView bytes, std::vector<StreamDelta> &out) {
    m_lines.feed(bytes, [&](QByteArrayView line) { handleLine(line, out); });
    noteOverflow(m_lines);
}

void OpenAiStreamDecoder::finish(std::vector<StreamDelta> &out) {
    m_lines.finish([&](QByteArrayView line) { handleLine(line, out); });
}

void OpenAiStreamDecoder::handleLine(QByteArrayView line, std::vector<StreamDelta> &out) {
    if (m_done || !line.startsWith("data:"))
        return; // blank separators, ": keep-alive" comments, event:/id:/retry: fields
    QByteArrayView data = line.sliced(5);
    if (data.startsWith(' '))
        data = data.sliced(1);
    if (data == "[DONE]") {
        m_done = true;
        if (!m_finishSent) {
            m_finishSent = true;
            out.push_back(StreamDelta::finish(StopReason::EndTurn));
        }
        return;
    }
    if (const std::optional<QJsonObject> chunk = m_json.read(data))
        handleChunk(*chunk, out);
}

void OpenAiStreamDecoder::handleChunk(const QJsonObject &chunk, std::vector<StreamDelta> &out) {
    const QJsonValue error = chunk.value("error"_L1);
    if (error.isObject() || error.isString()) {
        m_backendError =
            error.isString() ? error.toString() : error.toObject().value("message"_L1).toString();
        if (m_backendError.isEmpty())
            m_backendError =
                QString::fromUtf8(QJsonDocument(error.toObject()).toJson(QJsonDocument::Compact));
        return;
    }

    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.at(0).toObject();
        const QJsonObject delta = choice.value("delta"_L1).toObject();
        const QString reasoning = delta.value("reasoning_content"_L1).isString()
                                      ? delta.value("reasoning_content"_L1).toString()
                                      : delta.value("reasoning"_L1).toString();
        if (!reasoning.isEmpty())
            out.push_back(StreamDelta::reasoningFragment(reasoning));
        const QString content = delta.value("content"_L1).toString();
        if (!content.isEmpty())
            out.push_back(StreamDelta::textFragment(content));
        const QJsonValue toolCalls = delta.value("tool_calls"_L1);
        if (toolCalls.isArray())
            handleToolCalls(toolCalls.toArray(), out);

        const QJsonValue finishReason = choice.value("finish_reason"_L1);
        if (finishReason.isString() && !m_finishSent) {
            m_finishSent = true;
            // vLLM names the stop string that ended the answer.
            const QJsonValue stopString = choice.value("stop_reason"_L1);
            if (finishReason.toString() == "stop"_L1 && stopString.isString() &&
                !stopString.toString().isEmpty())
                out.push_back(StreamDelta::finish(StopReason::StopSequence, stopString.toString()));
            else
                out.push_back(StreamDelta::finish(stopReasonFor(finishReason.toString())));
        }
    }

    const QJsonValue usageValue = chunk.value("usage"_L1);
    if (usageValue.isObject()) {
        const QJsonObject usage = usageValue.toObject();
        Usage reported;
        reported.inputTokens = optionalInt(usage, "prompt_tokens"_L1);
        reported.outputTokens = optionalInt(usage, "completion_tokens"_L1);
        reported.cacheReadInputTokens =
            optionalInt(usage.value("prompt_tokens_details"_L1).toObject(), "cached_tokens"_L1);
        if (reported.inputTokens || reported.outputTokens)
            out.push_back(StreamDelta::usageReport(reported));
    }
}

void OpenAiStreamDecoder::handleToolCalls(const QJsonArray &calls, std::vector<StreamDelta> &out) {
    for (qsizetype position = 0; position < calls.size(); ++position) {
        const QJsonObject call = calls.at(position).toObject();
        const int backendIndex = call.value("index"_L1).toInt(int(position));
        const QJsonObject function = call.value("function"_L1).toObject();
        const QString id = call.value("id"_L1).toString();
        const QString name = function.value("name"_L1).toString();

        auto seen = std::find_if(m_toolCalls.begin(), m_toolCalls.end(),
                                 [&](const ToolCallSeen &t) { return t.backendIndex == backendIndex; });
        const int ourIndex = int(seen - m_toolCalls.begin());
        if (seen == m_toolCalls.end()) {
            m_toolCalls.push_back({backendIndex, id, name});
            out.push_back(StreamDelta::toolCallBegin(ourIndex, id, name));
        } else if ((!id.isEmpty() && id != seen->id) || (!name.isEmpty() && name != seen->name)) {
            // Late id or name. Servers that repeat them in every fragment must not restart the call.
            if (!id.isEmpty())
                seen->id = id;
            if (!name.isEmpty())
                seen->name = name;
            out.push_back(StreamDelta::toolCallBegin(ourIndex, seen->id, seen->name));
        }
        const QString arguments = function.value("arguments"_L1).toString();
        if (!arguments.isEmpty())
            out.push_back(StreamDelta::toolCallArgs(ourIndex, arguments));
    }
}

} // namespace modelrelay
