#include "BackendProfile.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString backendKindName(BackendKind kind) {
    switch (kind) {
    case BackendKind::Ollama:
        return u"ollama"_s;
    case BackendKind::Anthropic:
        return u"anthropic"_s;
    case BackendKind::OpenAI:
        break;
    }
    return u"openai"_s;
}

QString backendKindTitle(BackendKind kind) {
    switch (kind) {
    case BackendKind::Ollama:
        return u"Ollama"_s;
    case BackendKind::Anthropic:
        return u"Anthropic-compatible"_s;
    case BackendKind::OpenAI:
        break;
    }
    return u"OpenAI-compatible"_s;
}

bool backendKindFromName(const QString &name, BackendKind *kind) {
    const QString n = name.trimmed().toLower();
    if (n == "ollama"_L1)
        *kind = BackendKind::Ollama;
    else if (n == "openai"_L1 || n == "openai-compatible"_L1)
        *kind = BackendKind::OpenAI;
    else if (n == "anthropic"_L1 || n == "anthropic-compatible"_L1)
        *kind = BackendKind::Anthropic;
    else
        return false;
    return true;
}

QString toolSchemaPolicyName(ToolSchemaPolicy policy) {
    switch (policy) {
    case ToolSchemaPolicy::Keep:
        return u"keep"_s;
    case ToolSchemaPolicy::Strict:
        return u"strict"_s;
    case ToolSchemaPolicy::Portable:
        break;
    }
    return u"portable"_s;
}

QString toolSchemaPolicyTitle(ToolSchemaPolicy policy) {
    switch (policy) {
    case ToolSchemaPolicy::Keep:
        return u"As sent by the client"_s;
    case ToolSchemaPolicy::Strict:
        return u"Strict (drop validation keywords)"_s;
    case ToolSchemaPolicy::Portable:
        break;
    }
    return u"Portable (drop $schema, propertyNames…)"_s;
}

bool toolSchemaPolicyFromName(const QString &name, ToolSchemaPolicy *policy) {
    const QString n = name.trimmed().toLower();
    if (n == "keep"_L1)
        *policy = ToolSchemaPolicy::Keep;
    else if (n == "portable"_L1)
        *policy = ToolSchemaPolicy::Portable;
    else if (n == "strict"_L1)
        *policy = ToolSchemaPolicy::Strict;
    else
        return false;
    return true;
}

QUrl BackendProfile::defaultBaseUrl(BackendKind kind) {
    switch (kind) {
    case BackendKind::Ollama:
        return QUrl(u"http://127.0.0.1:11434"_s);
    case BackendKind::Anthropic:
        // Ollama's own /v1/messages; llama.cpp server, vLLM and LM Studio serve it on their port.
        return QUrl(u"http://127.0.0.1:11434"_s);
    case BackendKind::OpenAI:
        break;
    }
    // llama.cpp server's default port; vLLM uses 8000 and LM Studio 1234.
    return QUrl(u"http://127.0.0.1:8080/v1"_s);
}

} // namespace modelrelay
