// Ordered model-name rules (exact names or globs such as "claude-*haiku*"); first match wins,
// then the default model.
#pragma once

#include "ModelTarget.h"

#include <QJsonArray>
#include <QList>
#include <QString>
#include <optional>

namespace modelrelay {

struct ModelRule {
    QString pattern; // exact name or glob with * and ?
    QString backendModel;
    int maxOutputTokens = 0;
    int contextSize = 0;

    friend bool operator==(const ModelRule &, const ModelRule &) = default;
};

class ModelMap {
public:
    QList<ModelRule> rules;
    QString defaultModel;
    int defaultMaxOutputTokens = 0;
    int defaultContextSize = 0;

    std::optional<ModelTarget> resolve(const QString &clientModel) const;

    // JSON forms accepted (MODEL_MAP_JSON / MODEL_MAP_FILE / --config):
    //   {"claude-*haiku*": "qwen2.5:7b", "claude-sonnet-*": {"model": "qwen2.5-coder:32b",
    //    "max_tokens": 8192, "context": 65536}}  (object: key order is rule order)
    //   [{"pattern": "...", "model": "...", "max_tokens": N, "context": N}, ...]
    // Returns an empty optional and sets *error when the JSON has the wrong shape.
    static std::optional<QList<ModelRule>> rulesFromJson(const QByteArray &json, QString *error);
    QJsonArray rulesToJson() const;

    friend bool operator==(const ModelMap &, const ModelMap &) = default;
};

} // namespace modelrelay
