// What Ollama's POST /api/show says about a model that matters to the proxy: the context length
// it was trained for (model_info["<architecture>.context_length"]) and its capabilities
// ("tools", "thinking", "vision", ...; Ollama 0.6 and later).
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace modelrelay {

struct OllamaModelInfo {
    int contextLength = 0; // 0: not reported
    QStringList capabilities;

    bool can(const QString &capability) const { return capabilities.contains(capability); }

    static QByteArray showRequestBody(const QString &model);
    // nullopt when the body is not an /api/show answer.
    static std::optional<OllamaModelInfo> fromShowResponse(const QByteArray &body);
};

} // namespace modelrelay
