// Reads what the proxy answered to a Messages request — a JSON message, an SSE stream or an
// error — into one shape the checks can judge, and says what is wrong with a malformed stream
// (the mistakes that make Claude Code drop output: missing message_start/stop, blocks never
// stopped, tool input that does not parse). Pure: bytes in, values out.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace modelrelay {

struct AnswerBlock {
    QString type;         // "text", "thinking", "tool_use", "redacted_thinking"
    QString text;         // text or thinking
    QString toolName;     // tool_use
    QByteArray toolInput; // tool_use: the input as JSON text (concatenated partial_json)
};

struct ReadAnswer {
    int httpStatus = 0;
    QList<AnswerBlock> blocks;
    QString stopReason;
    int eventCount = 0; // SSE events, pings included
    QString problem;    // non-empty: the answer is malformed (says how) or an error
    QString errorType;  // from an error body or an SSE error event
    QString errorMessage;

    bool isError() const { return !errorType.isEmpty() || httpStatus != 200; }
    bool isWellFormed() const { return problem.isEmpty(); }
    QString text() const; // every text block, joined
    bool hasBlock(const QString &type) const;
    const AnswerBlock *firstToolUse() const;
};

class AnswerReader {
public:
    static ReadAnswer fromJson(int httpStatus, const QByteArray &body);
    static ReadAnswer fromSse(int httpStatus, const QByteArray &body);
};

} // namespace modelrelay
