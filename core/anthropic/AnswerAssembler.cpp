#include "AnswerAssembler.h"

#include "ToolUseId.h"
#include "tokens/TokenEstimator.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString stopReasonName(StopReason reason) {
    switch (reason) {
    case StopReason::EndTurn:
        return u"end_turn"_s;
    case StopReason::MaxTokens:
        return u"max_tokens"_s;
    case StopReason::StopSequence:
        return u"stop_sequence"_s;
    case StopReason::ToolUse:
        return u"tool_use"_s;
    case StopReason::Refusal:
        return u"refusal"_s;
    }
    return u"end_turn"_s;
}

AnswerAssembler::AnswerAssembler(QString messageId, AnswerSink &sink)
    : m_messageId(std::move(messageId))
    , m_sink(sink) {}

void AnswerAssembler::ensureOpen(Open kind) {
    if (m_open == kind)
        return;
    closeOpenBlock();
    m_open = kind;
    m_openIndex = m_nextIndex++;
    if (kind == Open::Text)
        m_sink.startText(m_openIndex);
    else
        m_sink.startThinking(m_openIndex);
}

void AnswerAssembler::closeOpenBlock() {
    if (m_open == Open::None)
        return;
    if (m_open == Open::Thinking) {
        // Clients echo thinking blocks back with their signature: a backend that signs its own
        // thinking (Anthropic-native servers) must get its signature back; otherwise ours is a
        // digest of the text, stable for the same thinking.
        m_sink.signatureDelta(m_openIndex, !m_thinkingSignature.isEmpty()
                                               ? m_thinkingSignature
                                               : u"modelrelay."_s +
                                                     QString::fromLatin1(m_thinkingHash.result().toBase64()));
        m_thinkingHash.reset();
        m_thinkingSignature.clear();
    }
    m_sink.stopBlock(m_openIndex);
    m_open = Open::None;
    m_openIndex = -1;
}

AnswerAssembler::ToolCall &AnswerAssembler::toolCall(int backendIndex) {
    for (ToolCall &call : m_toolCalls) {
        if (call.backendIndex == backendIndex)
            return call;
    }
    m_toolCalls.push_back(ToolCall{backendIndex, {}, {}, {}});
    return m_toolCalls.back();
}

void AnswerAssembler::add(const StreamDelta &delta) {
    if (m_finished && delta.kind != StreamDelta::Kind::Usage)
        return;
    switch (delta.kind) {
    case StreamDelta::Kind::Text:
        if (delta.text.isEmpty())
            return;
        ensureOpen(Open::Text);
        m_sink.textDelta(m_openIndex, delta.text);
        m_estimatedOutputTokens += TokenEstimator::estimateText(delta.text);
        return;
    case StreamDelta::Kind::Reasoning:
        if (delta.text.isEmpty())
            return;
        ensureOpen(Open::Thinking);
        m_thinkingHash.addData(delta.text.toUtf8());
        m_sink.thinkingDelta(m_openIndex, delta.text);
        m_estimatedOutputTokens += TokenEstimator::estimateText(delta.text);
        return;
    case StreamDelta::Kind::ReasoningSignature:
        if (m_open == Open::Thinking)
            m_thinkingSignature += delta.text;
        return;
    case StreamDelta::Kind::ToolCallBegin: {
        ToolCall &call = toolCall(delta.toolIndex);
        if (!delta.id.isEmpty())
            call.id = delta.id;
        if (!delta.name.isEmpty())
            call.name = delta.name;
        return;
    }
    case StreamDelta::Kind::ToolCallArgs:
        toolCall(delta.toolIndex).arguments += delta.text;
        m_estimatedOutputTokens += TokenEstimator::estimateText(delta.text);
        return;
    case StreamDelta::Kind::Usage:
        if (delta.usage.inputTokens)
            m_usage.inputTokens = delta.usage.inputTokens;
        if (delta.usage.outputTokens)
            m_usage.outputTokens = delta.usage.outputTokens;
        if (delta.usage.cacheReadInputTokens)
            m_usage.cacheReadInputTokens = delta.usage.cacheReadInputTokens;
        return;
    case StreamDelta::Kind::Finish:
        m_finished = true;
        m_stopReason = delta.stopReason;
        m_stopSequence = delta.stopSequence;
        return;
    }
}

StopReason AnswerAssembler::stopReason() const {
    // Servers disagree on the finish reason of a turn with tool calls; the calls decide.
    if (!m_toolCalls.empty() && m_stopReason == StopReason::EndTurn)
        return StopReason::ToolUse;
    if (m_toolCalls.empty() && m_stopReason == StopReason::ToolUse)
        return StopReason::EndTurn;
    return m_stopReason;
}

QJsonObject AnswerAssembler::usageJson(std::optional<int> inputFallback) const {
    QJsonObject usage{{u"output_tokens"_s, m_usage.outputTokens.value_or(m_estimatedOutputTokens)}};
    if (const std::optional<int> input = m_usage.inputTokens ? m_usage.inputTokens : inputFallback)
        usage.insert(u"input_tokens"_s, *input);
    if (m_usage.cacheReadInputTokens)
        usage.insert(u"cache_read_input_tokens"_s, *m_usage.cacheReadInputTokens);
    return usage;
}

QJsonValue AnswerAssembler::stopSequenceJson() const {
    return stopReason() == StopReason::StopSequence && !m_stopSequence.isEmpty()
               ? QJsonValue(m_stopSequence)
               : QJsonValue(QJsonValue::Null);
}

std::optional<ApiError> AnswerAssembler::complete() {
    // Failures leave the open block open: see StreamEncoder::fail.
    if (!m_finished)
        return ApiError::api(u"the backend's answer ended before it was complete"_s, 502);
    // Validate every call before emitting any, so a bad one leaves no half-told tool use.
    std::vector<QJsonObject> inputs;
    inputs.reserve(m_toolCalls.size());
    for (const ToolCall &call : m_toolCalls) {
        // A nameless call cannot be run, and sent back in the history it would be refused.
        if (call.name.trimmed().isEmpty())
            return ApiError::api(u"the model called a tool without giving its name"_s, 502);
        const QString arguments = call.arguments.trimmed();
        if (arguments.isEmpty()) {
            inputs.emplace_back();
            continue;
        }
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(arguments.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            QString excerpt = arguments.left(120);
            if (arguments.size() > 120)
                excerpt += QChar(0x2026);
            return ApiError::api(
                u"the model called tool '%1' with arguments that are not a JSON object: %2"_s.arg(call.name,
                                                                                                  excerpt),
                502);
        }
        inputs.push_back(document.object());
    }
    for (std::size_t i = 0; i < m_toolCalls.size(); ++i) {
        ToolCall &call = m_toolCalls[i];
        call.id = ToolUseId::sanitized(call.id);
        if (call.id.isEmpty()) {
            const QByteArray seed = m_messageId.toUtf8() + '/' + QByteArray::number(call.backendIndex);
            call.id = u"toolu_"_s +
                      QString::fromLatin1(
                          QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex().left(24));
        }
        closeOpenBlock();
        const int index = m_nextIndex++;
        m_sink.startToolUse(index, call.id, call.name);
        m_sink.toolInput(index, inputs[i], QJsonDocument(inputs[i]).toJson(QJsonDocument::Compact));
        m_sink.stopBlock(index);
    }
    closeOpenBlock();
    return std::nullopt;
}

} // namespace modelrelay
