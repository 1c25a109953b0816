// Translation steps that OpenAI-style chat backends (OpenAI-compatible and Ollama) share.
#pragma once

#include "anthropic/MessageRequest.h"
#include "config/BackendProfile.h"
#include "config/ModelTarget.h"

#include <QJsonArray>
#include <QString>
#include <QUrl>

namespace modelrelay {

class ChatShaping {
public:
    // The system prompt parts as one text, joined by blank lines.
    static QString systemText(const MessageRequest &request);
    // max_tokens limited by the model's cap (or the profile's); a note says when it was cut.
    static int outputTokenLimit(const MessageRequest &request, const ModelTarget &target,
                                const BackendProfile &profile, QStringList *notes);
    // The text of a tool_result: its text blocks joined, "Error: " first when is_error. The tools
    // it loaded (ToolSearch's tool_reference blocks) follow as the <functions> block ToolSearch's
    // description promises the model, each as it appears in `functions` (functionTools' output).
    static QString toolResultText(const ContentBlock &result, const QJsonArray &functions);
    // The tools a backend may offer the model: deferred ones (defer_loading) only once a
    // tool_reference in the conversation loaded them. A note names the ones held back.
    static std::vector<ToolDefinition> offeredTools(const MessageRequest &request, QStringList *notes);
    // The tool_result blocks of a user turn in the order the previous assistant turn made the calls.
    // Claude Code sends them in the order the tools finished; chat templates that pair results with
    // calls by position (Ollama's, several OpenAI-compatible servers') would mismatch them. Results
    // for unknown calls keep their order after the others. A note says when the order changed.
    static std::vector<const ContentBlock *>
    toolResultsInCallOrder(const Message &user, const Message *previousAssistant, QStringList *notes);
    // Text blocks of a message joined by blank lines.
    static QString joinedText(const std::vector<ContentBlock> &blocks);
    // tools[] in the OpenAI function shape, which Ollama uses too, with their schemas cleaned as
    // the policy asks; one note lists the keywords dropped.
    static QJsonArray functionTools(const std::vector<ToolDefinition> &tools, ToolSchemaPolicy policy,
                                    QStringList *notes);
    // {base}/{path} without doubling or losing the slash between them.
    static QUrl endpoint(const QUrl &base, const QString &path);
};

} // namespace modelrelay
