#include "ChatShaping.h"

#include "ToolSchemaSanitizer.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <limits>

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

QString ChatShaping::toolResultText(const ContentBlock &result, const QJsonArray &functions) {
    QString text = joinedText(result.content);
    if (result.isError)
        text.prepend(u"Error: "_s);
    QString loaded;
    for (const ContentBlock &block : result.content) {
        if (block.type != ContentBlock::Type::ToolReference)
            continue;
        QJsonObject function{{u"name"_s, block.name}};
        for (const QJsonValue &tool : functions) {
            const QJsonObject candidate = tool.toObject().value("function"_L1).toObject();
            if (candidate.value("name"_L1).toString() == block.name)
                function = candidate;
        }
        loaded += u"<function>"_s +
                  QString::fromUtf8(QJsonDocument(function).toJson(QJsonDocument::Compact)) +
                  u"</function>\n"_s;
    }
    if (!loaded.isEmpty())
        text += (text.isEmpty() ? QString() : u"\n\n"_s) + u"<functions>\n"_s + loaded + u"</functions>"_s;
    return text;
}

std::vector<ToolDefinition> ChatShaping::offeredTools(const MessageRequest &request, QStringList *notes) {
    std::vector<ToolDefinition> offered;
    QStringList heldBack;
    for (const ToolDefinition &tool : request.tools) {
        if (tool.deferred)
            heldBack.append(tool.name);
        else
            offered.push_back(tool);
    }
    if (notes && !heldBack.isEmpty())
        notes->append(
            u"deferred tools not offered until ToolSearch loads them: %1"_s.arg(heldBack.join(u", "_s)));
    return offered;
}

std::vector<const ContentBlock *> ChatShaping::toolResultsInCallOrder(const Message &user,
                                                                      const Message *previousAssistant,
                                                                      QStringList *notes) {
    std::vector<const ContentBlock *> results;
    for (const ContentBlock &block : user.content) {
        if (block.type == ContentBlock::Type::ToolResult)
            results.push_back(&block);
    }
    if (!previousAssistant || results.size() < 2)
        return results;
    QHash<QString, int> callPosition;
    for (const ContentBlock &block : previousAssistant->content) {
        if (block.type == ContentBlock::Type::ToolUse)
            callPosition.insert(block.id, int(callPosition.size()));
    }
    const auto byCall = [&](const ContentBlock *a, const ContentBlock *b) {
        constexpr int kNoCall = std::numeric_limits<int>::max();
        return callPosition.value(a->toolUseId, kNoCall) < callPosition.value(b->toolUseId, kNoCall);
    };
    if (std::is_sorted(results.begin(), results.end(), byCall))
        return results;
    std::stable_sort(results.begin(), results.end(), byCall);
    const QString note = u"tool results put in the order of their calls"_s;
    if (notes && !notes->contains(note))
        notes->append(note);
    return results;
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
