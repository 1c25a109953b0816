#include "BackendProfile.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString backendKindName(BackendKind kind) {
    return kind == BackendKind::Ollama ? u"ollama"_s : u"openai"_s;
}

bool backendKindFromName(const QString &name, BackendKind *kind) {
    const QString n = name.trimmed().toLower();
    if (n == "ollama"_L1)
        *kind = BackendKind::Ollama;
    else if (n == "openai"_L1 || n == "openai-compatible"_L1)
        *kind = BackendKind::OpenAI;
    else
        return false;
    return true;
}

QUrl BackendProfile::defaultBaseUrl(BackendKind kind) {
    // llama.cpp server's default port; vLLM uses 8000 and LM Studio 1234.
    return kind == BackendKind::Ollama ? QUrl(u"http://127.0.0.1:11434"_s)
                                       : QUrl(u"http://127.0.0.1:8080/v1"_s);
}

} // namespace modelrelay
