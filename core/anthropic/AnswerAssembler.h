// Anthropic's rules for building an assistant answer out of backend-neutral deltas, shared by
// the SSE encoder and the non-streaming accumulator: block indices, one block open at a time,
// thinking blocks closed with a signature, tool calls collected and validated, stop reason
// and usage. What it decides is told to an AnswerSink, which renders it.
#pragma once

#include "ApiError.h"
#include "StreamDelta.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QString>
#include <optional>
#include <vector>

namespace modelrelay {

class AnswerSink {
public:
    virtual ~AnswerSink() = default;
    virtual void startText(int index) = 0;
    virtual void startThinking(int index) = 0;
    virtual void startToolUse(int index, const QString &id, const QString &name) = 0;
    virtual void textDelta(int index, const QString &text) = 0;
    virtual void thinkingDelta(int index, const QString &thinking) = 0;
    virtual void signatureDelta(int index, const QString &signature) = 0;
    virtual void toolInput(int index, const QJsonObject &input, const QByteArray &compactJson) = 0;
    virtual void stopBlock(int index) = 0;
};

class AnswerAssembler {
public:
    AnswerAssembler(QString messageId, AnswerSink &sink);

    void add(const StreamDelta &delta);
    // Emits the collected tool calls and closes the last block. Fails, leaving the open block as
    // it is, when the backend never said the answer was complete, or a tool call has no name or
    // arguments that are not a JSON object.
    std::optional<ApiError> complete();
    void closeOpenBlock();

    bool finishSeen() const { return m_finished; }
    bool hasContent() const { return m_nextIndex > 0; }
    Usage reportedUsage() const { return m_usage; }
    int estimatedOutputTokens() const { return m_estimatedOutputTokens; }
    StopReason stopReason() const;
    QString stopSequence() const { return m_stopSequence; }

    // The closing "usage" object: reported counts, estimates where the backend gave none
    // (input_tokens only when reported or an inputFallback is given).
    QJsonObject usageJson(std::optional<int> inputFallback) const;
    // "stop_sequence": the matched sequence when the answer stopped on one, else null.
    QJsonValue stopSequenceJson() const;

private:
    enum class Open { None, Text, Thinking };
    struct ToolCall {
        int backendIndex = 0;
        QString id;
        QString name;
        QString arguments;
    };

    void ensureOpen(Open kind);
    ToolCall &toolCall(int backendIndex);

    QString m_messageId;
    AnswerSink &m_sink;
    Open m_open = Open::None;
    int m_openIndex = -1;
    int m_nextIndex = 0;
    QCryptographicHash m_thinkingHash{QCryptographicHash::Sha256};
    QString m_thinkingSignature; // the backend's, when it signs its thinking
    std::vector<ToolCall> m_toolCalls;
    Usage m_usage;
    int m_estimatedOutputTokens = 0;
    bool m_finished = false;
    StopReason m_stopReason = StopReason::EndTurn;
    QString m_stopSequence;
};

QString stopReasonName(StopReason reason);

} // namespace modelrelay
