// Backend-neutral pieces of an assistant answer: what every backend's stream decoder emits
// and what the Anthropic stream encoder and message accumulator consume.
#pragma once

#include <QString>
#include <optional>

namespace modelrelay {

enum class StopReason { EndTurn, MaxTokens, StopSequence, ToolUse, Refusal };

struct Usage {
    std::optional<int> inputTokens;
    std::optional<int> outputTokens;
    std::optional<int> cacheReadInputTokens;
};

struct StreamDelta {
    enum class Kind {
        Text,               // text: a fragment of answer text
        Reasoning,          // text: a fragment of reasoning ("thinking") text
        ReasoningSignature, // text: the backend's own signature of the reasoning so far
        ToolCallBegin,      // toolIndex, id (may be empty: the encoder then makes one), name
        ToolCallArgs,       // toolIndex, text: a fragment of the arguments JSON
        Usage,              // usage: any of the counts the backend reported
        Finish,             // stopReason, stopSequence: the backend says the answer is complete
    };

    Kind kind = Kind::Text;
    QString text;
    int toolIndex = 0;
    QString id;
    QString name;
    Usage usage;
    StopReason stopReason = StopReason::EndTurn;
    QString stopSequence;

    static StreamDelta textFragment(const QString &t) { return {Kind::Text, t, 0, {}, {}, {}, {}, {}}; }
    static StreamDelta reasoningFragment(const QString &t) {
        return {Kind::Reasoning, t, 0, {}, {}, {}, {}, {}};
    }
    static StreamDelta reasoningSignature(const QString &signature) {
        return {Kind::ReasoningSignature, signature, 0, {}, {}, {}, {}, {}};
    }
    static StreamDelta toolCallBegin(int index, const QString &id, const QString &name) {
        return {Kind::ToolCallBegin, {}, index, id, name, {}, {}, {}};
    }
    static StreamDelta toolCallArgs(int index, const QString &fragment) {
        return {Kind::ToolCallArgs, fragment, index, {}, {}, {}, {}, {}};
    }
    static StreamDelta usageReport(const Usage &u) { return {Kind::Usage, {}, 0, {}, {}, u, {}, {}}; }
    static StreamDelta finish(StopReason reason, const QString &stopSequence = {}) {
        return {Kind::Finish, {}, 0, {}, {}, {}, reason, stopSequence};
    }
};

} // namespace modelrelay
