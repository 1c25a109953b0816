#include "OllamaStreamDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

void OllamaStreamDecoder::feed(QByteArrayView bytes, std::vector<StreamDelta> &out) {
    m_lines.feed(bytes, [&](QByteArrayView line) { handleLine(line, out); });
    noteOverflow(m_lines);
}

void OllamaStreamDecoder::finish(std::vector<StreamDelta> &out) {
    m_lines.finish([&](QByteArrayView line) { handleLine(line, out); });
}

void OllamaStreamDecoder::handleLine(QByteArrayView line, std::vector<StreamDelta> &out) {
    if (m_done || line.trimmed().isEmpty())
        return;
    if (const std::optional<QJsonObject> object = m_json.read(line))
        handleObject(*object, out);
}

void OllamaStreamDecoder::handleObject(const QJsonObject &object, std::vector<StreamDelta> &out) {
    const QJsonValue error = object.value("error"_L1);
    if (error.isString()) {
        // The first error is the one that ended the answer; a later line (even an empty
        // "error") must not replace it, however the bytes were split.
        if (m_backendError.isEmpty())
            m_backendError = error.toString().isEmpty() ? u"the backend reported an error without a message"_s
                                                        : error.toString();
        return;
    }
    const QJsonObject message = object.value("message"_L1).toObject();
    const QString thinking = message.value("thinking"_L1).toString();
    if (!thinking.isEmpty())
        out.push_back(StreamDelta::reasoningFragment(thinking));
    const QString content = message.value("content"_L1).toString();
    if (!content.isEmpty())
        out.push_back(StreamDelta::textFragment(content));
    const QJsonArray toolCalls = message.value("tool_calls"_L1).toArray();
    for (const QJsonValue &value : toolCalls) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value("function"_L1).toObject();
        const int index = m_nextToolIndex++;
        out.push_back(StreamDelta::toolCallBegin(index, call.value("id"_L1).toString(),
                                                 function.value("name"_L1).toString()));
        // Ollama sends whole calls with the arguments as an object.
        const QJsonValue arguments = function.value("arguments"_L1);
        const QString json =
            arguments.isString()
                ? arguments.toString()
                : QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact));
        out.push_back(StreamDelta::toolCallArgs(index, json));
    }

    if (object.value("done"_L1).toBool(false)) {
        m_done = true;
        Usage usage;
        if (object.value("prompt_eval_count"_L1).isDouble())
            usage.inputTokens = object.value("prompt_eval_count"_L1).toInt();
        if (object.value("eval_count"_L1).isDouble())
            usage.outputTokens = object.value("eval_count"_L1).toInt();
        if (usage.inputTokens || usage.outputTokens)
            out.push_back(StreamDelta::usageReport(usage));
        const QString reason = object.value("done_reason"_L1).toString();
        StopReason stop = StopReason::EndTurn;
        if (reason == "length"_L1)
            stop = StopReason::MaxTokens;
        else if (m_nextToolIndex > 0)
            stop = StopReason::ToolUse;
        out.push_back(StreamDelta::finish(stop));
    }
}

} // namespace modelrelay
