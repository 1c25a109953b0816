#include "SelfTestScenario.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <algorithm>

// Resources of a static library are only linked in when something names them.
static void initSelfTestResources() {
    Q_INIT_RESOURCE(selftest);
}

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

std::optional<SelfTestScenario> SelfTestScenario::fromJson(const QJsonObject &json) {
    SelfTestScenario s;
    s.capability = json.value("capability"_L1).toString();
    s.title = json.value("title"_L1).toString();
    s.required = json.value("required"_L1).toBool(true);
    s.endpoint = json.value("endpoint"_L1).toString();
    s.request = json.value("request"_L1).toObject();
    if (s.capability.isEmpty() || s.title.isEmpty() || !s.endpoint.startsWith(u'/') || s.request.isEmpty())
        return std::nullopt;
    return s;
}

QList<SelfTestScenario> SelfTestScenario::builtIn() {
    initSelfTestResources();
    QList<std::pair<int, SelfTestScenario>> ordered;
    const QDir dir(u":/modelrelay/selftest/scenarios"_s);
    for (const QString &name : dir.entryList({u"*.json"_s}, QDir::Files)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        if (auto scenario = fromJson(json))
            ordered.append({json.value("order"_L1).toInt(), *scenario});
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<SelfTestScenario> scenarios;
    for (const auto &entry : std::as_const(ordered))
        scenarios.append(entry.second);
    return scenarios;
}

} // namespace modelrelay
