#include "BackendProfile.h"

#include "EnumSpellings.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr EnumSpelling<BackendKind> kKinds[] = {
    {BackendKind::OpenAI, "openai", "OpenAI-compatible", "openai-compatible"},
    {BackendKind::Ollama, "ollama", "Ollama"},
    {BackendKind::Anthropic, "anthropic", "Anthropic-compatible", "anthropic-compatible"},
};
constexpr EnumSpelling<ToolSchemaPolicy> kToolSchemaPolicies[] = {
    {ToolSchemaPolicy::Portable, "portable", "Portable (drop $schema, propertyNames…)"},
    {ToolSchemaPolicy::Keep, "keep", "As sent by the client"},
    {ToolSchemaPolicy::Strict, "strict", "Strict (drop validation keywords)"},
};
} // namespace

QString backendKindName(BackendKind kind) {
    return enum_spellings::nameOf(kKinds, kind);
}

QString backendKindTitle(BackendKind kind) {
    return enum_spellings::titleOf(kKinds, kind);
}

bool backendKindFromName(const QString &name, BackendKind *kind) {
    return enum_spellings::fromName(kKinds, name, kind);
}

QString toolSchemaPolicyName(ToolSchemaPolicy policy) {
    return enum_spellings::nameOf(kToolSchemaPolicies, policy);
}

QString toolSchemaPolicyTitle(ToolSchemaPolicy policy) {
    return enum_spellings::titleOf(kToolSchemaPolicies, policy);
}

bool toolSchemaPolicyFromName(const QString &name, ToolSchemaPolicy *policy) {
    return enum_spellings::fromName(kToolSchemaPolicies, name, policy);
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
