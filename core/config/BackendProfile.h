// One backend the proxy can send requests to: its kind, address, key and per-backend options.
#pragma once

#include <QString>
#include <QUrl>

namespace modelrelay {

// Anthropic: a server that speaks the Anthropic Messages API itself (Ollama >= 0.14, llama.cpp
// server, LM Studio, vLLM); requests are forwarded as they came, answers relayed through the same
// encoder as the other kinds.
enum class BackendKind { OpenAI, Ollama, Anthropic };

QString backendKindName(BackendKind kind);  // "openai" | "ollama" | "anthropic"
QString backendKindTitle(BackendKind kind); // "OpenAI-compatible" | "Ollama" | "Anthropic-compatible"
bool backendKindFromName(const QString &name, BackendKind *kind);

// How tool input schemas are cleaned before they go to this backend. Strict validators (Gemini
// behind OpenRouter, some vLLM/llama.cpp grammar converters) reject JSON Schema keywords Claude
// Code sends, such as $schema, format or propertyNames.
//   Keep:     sent as the client wrote them.
//   Portable: drops what no backend needs ($schema, propertyNames, ...) and gives parameterless
//             tools an explicit empty object schema. The default.
//   Strict:   also drops format, additionalProperties and other validation-only keywords.
enum class ToolSchemaPolicy { Keep, Portable, Strict };

QString toolSchemaPolicyName(ToolSchemaPolicy policy);  // "keep" | "portable" | "strict"
QString toolSchemaPolicyTitle(ToolSchemaPolicy policy); // for the UI
bool toolSchemaPolicyFromName(const QString &name, ToolSchemaPolicy *policy);

struct BackendProfile {
    QString name = QStringLiteral("Ollama (local)");
    BackendKind kind = BackendKind::Ollama;
    // OpenAI: the API root including /v1 (requests go to {baseUrl}/chat/completions).
    // Ollama: the server root (requests go to {baseUrl}/api/chat).
    // Anthropic: the server root (requests go to {baseUrl}/v1/messages).
    QUrl baseUrl = QUrl(QStringLiteral("http://127.0.0.1:11434"));
    QString apiKey;                // never logged
    int ollamaContextSize = 32768; // num_ctx when the model rule sets none
    int maxOutputTokens = 0;       // cap for max_tokens when the model rule sets none; 0 = none
    ToolSchemaPolicy toolSchemas = ToolSchemaPolicy::Portable;
    // Pass the client's reasoning effort on (OpenAI-compatible: reasoning_effort; Ollama: think,
    // false when the client asks for no thinking). Off for servers that refuse the field.
    bool reasoningEffort = true;

    static QUrl defaultBaseUrl(BackendKind kind);
    // The base URL as logs, errors, /health and the window show it: without user:password@.
    QString shownUrl() const { return baseUrl.toString(QUrl::RemoveUserInfo); }

    friend bool operator==(const BackendProfile &, const BackendProfile &) = default;
};

} // namespace modelrelay
