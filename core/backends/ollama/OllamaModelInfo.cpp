#include "OllamaModelInfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QByteArray OllamaModelInfo::showRequestBody(const QString &model) {
    return QJsonDocument(QJsonObject{{u"model"_s, model}}).toJson(QJsonDocument::Compact);
}

std::optional<OllamaModelInfo> OllamaModelInfo::fromShowResponse(const QByteArray &body) {
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject show = document.object();
    const QJsonObject modelInfo = show.value(u"model_info"_s).toObject();
    if (modelInfo.isEmpty() && !show.contains(u"details"_s))
        return std::nullopt;
    OllamaModelInfo info;
    const QString architecture = modelInfo.value(u"general.architecture"_s).toString();
    QJsonValue length = modelInfo.value(architecture + u".context_length"_s);
    if (!length.isDouble()) { // an architecture name that doesn't prefix its keys
        for (auto it = modelInfo.begin(); it != modelInfo.end(); ++it) {
            if (it.key().endsWith(u".context_length"_s) && it.value().isDouble()) {
                length = it.value();
                break;
            }
        }
    }
    info.contextLength = length.toInt(0);
    for (const QJsonValue &capability : show.value(u"capabilities"_s).toArray())
        info.capabilities.append(capability.toString());
    // Ollama passes a string think value to the prompt as .ThinkLevel; gpt-oss's built-in renderer
    // takes it without a template.
    const QString family = show.value(u"details"_s).toObject().value(u"family"_s).toString();
    info.thinkLevels = family == "gptoss"_L1 || family == "gpt-oss"_L1 ||
                       show.value(u"template"_s).toString().contains(u".ThinkLevel"_s);
    return info;
}

ThinkingSupport OllamaModelInfo::thinking() const {
    if (capabilities.isEmpty())
        return ThinkingSupport::Unknown; // Ollama before 0.6 does not say
    if (!can(u"thinking"_s))
        return ThinkingSupport::None;
    return thinkLevels ? ThinkingSupport::Levels : ThinkingSupport::OnOff;
}

} // namespace modelrelay
