// The typed form of an Anthropic Messages API request, independent of any backend.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace modelrelay {

struct ContentBlock {
    // ToolReference: inside a tool result, a tool that ToolSearch loaded (name holds its name).
    enum class Type { Text, Image, ToolUse, ToolResult, Thinking, RedactedThinking, ToolReference };

    Type type = Type::Text;
    QString text;                      // Text; Thinking: the thinking text; RedactedThinking: the opaque data
    QString signature;                 // Thinking
    QString mediaType;                 // Image: e.g. "image/png"
    QString imageBase64;               // Image with a base64 source (no data: prefix)
    QString imageUrl;                  // Image with a url source
    QString id;                        // ToolUse
    QString name;                      // ToolUse, ToolReference
    QJsonObject input;                 // ToolUse
    QString toolUseId;                 // ToolResult
    bool isError = false;              // ToolResult
    std::vector<ContentBlock> content; // ToolResult: text, image and tool reference blocks

    static ContentBlock makeText(const QString &text) {
        ContentBlock b;
        b.text = text;
        return b;
    }
};

struct Message {
    enum class Role { User, Assistant };
    Role role = Role::User;
    std::vector<ContentBlock> content;
};

struct ToolDefinition {
    QString name;
    QString description;
    QJsonObject inputSchema;
    // defer_loading and no tool_reference in the conversation (ToolSearch's answer) loaded it yet:
    // listed for the client's bookkeeping, not callable, so not offered to backends. MCP servers'
    // tools arrive this way.
    bool deferred = false;
};

struct ToolChoice {
    enum class Type { Auto, Any, Tool, None };
    Type type = Type::Auto;
    QString name; // Type::Tool
    bool disableParallelToolUse = false;
};

struct ThinkingConfig {
    enum class Type { Disabled, Enabled, Adaptive };
    Type type = Type::Disabled;
    int budgetTokens = 0;
};

struct MessageRequest {
    QString model;
    int maxTokens = 0;             // 0 when absent (count_tokens)
    QStringList system;            // text parts in order; inline role:"system" messages merged in
    std::vector<Message> messages; // user/assistant only
    std::vector<ToolDefinition> tools;
    std::optional<ToolChoice> toolChoice;
    ThinkingConfig thinking;
    QString effort;           // output_config.effort ("low"|"medium"|"high"|...), empty when absent
    QJsonObject outputSchema; // output_config.format.schema when type is json_schema
    bool stream = false;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    QStringList stopSequences;

    // The body as the client sent it, for backends that speak Anthropic themselves.
    QJsonObject clientJson;
    bool betaEndpoint = false;         // the client called /v1/messages?beta=true (the SDK's beta namespace)
    bool billingHeaderDropped = false; // the parser left out Claude Code's billing system block

    // What the parser accepted but could not carry over (unknown fields, server tools, ...),
    // one short phrase each, for the request log.
    QStringList notes;
};

} // namespace modelrelay
