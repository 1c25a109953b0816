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
    // The text of a tool_result: its text blocks joined, "Error: " first when is_error.
    static QString toolResultText(const ContentBlock &result);
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
