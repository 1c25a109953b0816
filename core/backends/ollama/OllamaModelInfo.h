// What Ollama's POST /api/show says about a model that matters to the proxy: the context length
// it was trained for (model_info["<architecture>.context_length"]) and its capabilities
// ("tools", "thinking", "vision", ...; Ollama 0.6 and later), and whether it takes think levels.
#pragma once

#include "config/ModelTarget.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace modelrelay {

struct OllamaModelInfo {
    int contextLength = 0; // 0: not reported
    QStringList capabilities;
    bool thinkLevels = false; // its prompt takes a think level (gpt-oss; templates using .ThinkLevel)

    bool can(const QString &capability) const { return capabilities.contains(capability); }
    ThinkingSupport thinking() const;

    static QByteArray showRequestBody(const QString &model);
    // nullopt when the body is not an /api/show answer.
    static std::optional<OllamaModelInfo> fromShowResponse(const QByteArray &body);
};

} // namespace modelrelay
