#include "AnthropicNativeRequestBuilder.h"

#include "anthropic/RequestParser.h"
#include "backends/ChatShaping.h"
#include "backends/ToolSchemaSanitizer.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray kAnthropicVersion = QByteArrayLiteral("2023-06-01");

QJsonArray textBlocks(const QJsonValue &content) {
    if (content.isString())
        return content.toString().isEmpty()
                   ? QJsonArray()
                   : QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, content.toString()}}};
    QJsonArray blocks;
    for (const QJsonValue &block : content.toArray()) {
        if (block.toObject().value("type"_L1).toString() == "text"_L1)
            blocks.append(block);
    }
    return blocks;
}

// The system prompt as blocks, without the billing line when the parser left it out: that line
// can change every request and would defeat the backend's prompt cache.
QJsonArray systemBlocks(const MessageRequest &request) {
    const QJsonValue system = request.clientJson.value("system"_L1);
    if (system.isString())
        return textBlocks(system);
    QJsonArray blocks;
    for (const QJsonValue &block : system.toArray()) {
        if (request.billingHeaderDropped &&
            RequestParser::isBillingHeader(block.toObject().value("text"_L1).toString()))
            continue;
        blocks.append(block);
    }
    return blocks;
}

// Chat templates of local models reject a system message that is not first, so inline system
// messages join the system prompt (the other backends do the same).
void moveInlineSystemMessages(QJsonObject &body, QJsonArray &system) {
    const QJsonArray messages = body.value("messages"_L1).toArray();
    QJsonArray kept;
    bool moved = false;
    for (const QJsonValue &message : messages) {
        const QJsonObject m = message.toObject();
        if (m.value("role"_L1).toString() != "system"_L1) {
            kept.append(message);
            continue;
        }
        for (const QJsonValue &block : textBlocks(m.value("content"_L1)))
            system.append(block);
        moved = true;
    }
    if (moved)
        body.insert(u"messages"_s, kept);
}

void fitThinkingBudget(QJsonObject &body, int maxTokens, QStringList *notes) {
    QJsonObject thinking = body.value("thinking"_L1).toObject();
    const int budget = thinking.value("budget_tokens"_L1).toInt(0);
    // Anthropic's rule, which native servers check too: the budget is part of max_tokens.
    if (budget <= 0 || budget < maxTokens)
        return;
    const int fitted = qMax(1, maxTokens - 1);
    thinking.insert(u"budget_tokens"_s, fitted);
    body.insert(u"thinking"_s, thinking);
    if (notes)
        notes->append(u"thinking budget_tokens %1 lowered to %2 to fit max_tokens"_s.arg(budget).arg(fitted));
}

// Only the client's own tools carry a schema; server tools (web_search_...) have a type of their own.
void sanitizeToolSchemas(QJsonObject &body, ToolSchemaPolicy policy, QStringList *notes) {
    if (policy == ToolSchemaPolicy::Keep || !body.value("tools"_L1).isArray())
        return;
    ToolSchemaSanitizer sanitizer(policy);
    QJsonArray tools = body.value("tools"_L1).toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        QJsonObject tool = tools.at(i).toObject();
        const QString type = tool.value("type"_L1).toString();
        if (!tools.at(i).isObject() || (!type.isEmpty() && type != "custom"_L1))
            continue;
        tool.insert(u"input_schema"_s, sanitizer.clean(tool.value("input_schema"_L1)));
        tools.replace(i, tool);
    }
    body.insert(u"tools"_s, tools);
    if (const QString note = sanitizer.note(); notes && !note.isEmpty())
        notes->append(note);
}

} // namespace

QJsonObject AnthropicNativeRequestBuilder::buildBody(const MessageRequest &request, const ModelTarget &target,
                                                     const BackendProfile &profile, QStringList *notes) {
    QJsonObject body = request.clientJson;
    body.insert(u"model"_s, target.backendModel);
    const int maxTokens = ChatShaping::outputTokenLimit(request, target, profile, notes);
    if (maxTokens > 0) {
        body.insert(u"max_tokens"_s, maxTokens);
        fitThinkingBudget(body, maxTokens, notes);
    }
    body.insert(u"stream"_s, true);
    body.remove(u"metadata"_s); // identifiers are never forwarded to a third party
    sanitizeToolSchemas(body, profile.toolSchemas, notes);

    QJsonArray system = systemBlocks(request);
    const qsizetype blocksBefore = system.size();
    moveInlineSystemMessages(body, system);
    if (request.billingHeaderDropped || system.size() != blocksBefore) {
        if (system.isEmpty())
            body.remove(u"system"_s);
        else
            body.insert(u"system"_s, system);
    }
    return body;
}

QUrl AnthropicNativeRequestBuilder::messagesUrl(const QUrl &base) {
    QString path = base.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    return ChatShaping::endpoint(base, path.endsWith("/v1"_L1) ? u"messages"_s : u"v1/messages"_s);
}

BackendRequest AnthropicNativeRequestBuilder::build(const MessageRequest &request, const ModelTarget &target,
                                                    const BackendProfile &profile,
                                                    const HttpHeaders &clientHeaders, QStringList *notes) {
    auto clientHeader = [&](QByteArrayView name) {
        for (const auto &[key, value] : clientHeaders) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return QByteArray();
    };
    BackendRequest out;
    out.url = messagesUrl(profile.baseUrl);
    if (request.betaEndpoint)
        out.url.setQuery(u"beta=true"_s);
    out.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream")});
    const QByteArray version = clientHeader("anthropic-version");
    out.headers.append(
        {QByteArrayLiteral("anthropic-version"), version.isEmpty() ? kAnthropicVersion : version});
    if (const QByteArray betas = clientHeader("anthropic-beta"); !betas.isEmpty())
        out.headers.append({QByteArrayLiteral("anthropic-beta"), betas});
    if (!profile.apiKey.isEmpty()) {
        // Anthropic's own header, and the Bearer form that llama.cpp and vLLM check.
        out.headers.append({QByteArrayLiteral("x-api-key"), profile.apiKey.toUtf8()});
        out.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + profile.apiKey.toUtf8()});
    } else {
        bool forwarded = false;
        for (const QByteArrayView name : {QByteArrayView("x-api-key"), QByteArrayView("Authorization")}) {
            if (const QByteArray credential = clientHeader(name); !credential.isEmpty()) {
                out.headers.append({name.toByteArray(), credential});
                forwarded = true;
            }
        }
        if (forwarded && notes)
            notes->append(u"the profile has no API key: the client's own credentials were forwarded"_s);
    }
    out.body = QJsonDocument(buildBody(request, target, profile, notes)).toJson(QJsonDocument::Compact);
    return out;
}

} // namespace modelrelay
