#include "ChatShaping.h"

#include "ToolSchemaSanitizer.h"

#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString ChatShaping::systemText(const MessageRequest &request) {
    return request.system.join(u"\n\n"_s);
}

int ChatShaping::outputTokenLimit(const MessageRequest &request, const ModelTarget &target,
                                  const BackendProfile &profile, QStringList *notes) {
    const int cap = target.maxOutputTokens > 0 ? target.maxOutputTokens : profile.maxOutputTokens;
    if (cap > 0 && request.maxTokens > cap) {
        if (notes)
            notes->append(u"max_tokens %1 capped to %2 for %3"_s.arg(request.maxTokens)
                              .arg(cap)
                              .arg(target.backendModel));
        return cap;
    }
    return request.maxTokens;
}

QString ChatShaping::toolResultText(const ContentBlock &result) {
    QString text = joinedText(result.content);
    if (result.isError)
        text.prepend(u"Error: "_s);
    return text;
}

QString ChatShaping::joinedText(const std::vector<ContentBlock> &blocks) {
    QString text;
    for (const ContentBlock &block : blocks) {
        if (block.type != ContentBlock::Type::Text)
            continue;
        if (!text.isEmpty())
            text += u"\n\n"_s;
        text += block.text;
    }
    return text;
}

QJsonArray ChatShaping::functionTools(const std::vector<ToolDefinition> &tools, ToolSchemaPolicy policy,
                                      QStringList *notes) {
    QJsonArray array;
    ToolSchemaSanitizer sanitizer(policy);
    for (const ToolDefinition &tool : tools) {
        QJsonObject parameters = sanitizer.clean(tool.inputSchema);
        if (!parameters.contains("type"_L1))
            parameters.insert(u"type"_s, u"object"_s);
        if (parameters.value("type"_L1) == "object"_L1 && !parameters.contains("properties"_L1))
            parameters.insert(u"properties"_s, QJsonObject());
        QJsonObject function{{u"name"_s, tool.name}, {u"parameters"_s, parameters}};
        if (!tool.description.isEmpty())
            function.insert(u"description"_s, tool.description);
        array.append(QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, function}});
    }
    if (const QString note = sanitizer.note(); notes && !note.isEmpty())
        notes->append(note);
    return array;
}

QUrl ChatShaping::endpoint(const QUrl &base, const QString &path) {
    QUrl url = base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + u'/' + path);
    return url;
}

} // namespace modelrelay
