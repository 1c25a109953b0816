#include "OpenAiRequestBuilder.h"

#include "backends/ChatShaping.h"
#include "backends/ReasoningEffort.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonObject imagePart(const ContentBlock &image) {
    const QString url = image.imageUrl.isEmpty()
                            ? u"data:%1;base64,%2"_s.arg(image.mediaType, image.imageBase64)
                            : image.imageUrl;
    return QJsonObject{{u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject{{u"url"_s, url}}}};
}

// A user message: a plain string when it is only text (the most widely accepted form),
// otherwise an array of text and image parts.
std::optional<QJsonObject> userMessage(const std::vector<const ContentBlock *> &blocks) {
    bool hasImage = false;
    QString text;
    for (const ContentBlock *block : blocks) {
        if (block->type == ContentBlock::Type::Image)
            hasImage = true;
        else if (!block->text.isEmpty())
            text += (text.isEmpty() ? QString() : u"\n\n"_s) + block->text;
    }
    if (!hasImage) {
        if (text.isEmpty())
            return std::nullopt;
        return QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, text}};
    }
    QJsonArray parts;
    for (const ContentBlock *block : blocks) {
        if (block->type == ContentBlock::Type::Image)
            parts.append(imagePart(*block));
        else if (!block->text.isEmpty())
            parts.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, block->text}});
    }
    return QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, parts}};
}

void appendUserTurn(const Message &message, const Message *previousAssistant, const QJsonArray &functions,
                    QJsonArray &out, QStringList *notes) {
    // Tool results answer the previous assistant turn, so they go first, one "tool" message each.
    std::vector<const ContentBlock *> rest;
    std::vector<const ContentBlock *> resultImages;
    for (const ContentBlock *result :
         ChatShaping::toolResultsInCallOrder(message, previousAssistant, notes)) {
        out.append(QJsonObject{{u"role"_s, u"tool"_s},
                               {u"tool_call_id"_s, result->toolUseId},
                               {u"content"_s, ChatShaping::toolResultText(*result, functions)}});
        for (const ContentBlock &inner : result->content) {
            if (inner.type == ContentBlock::Type::Image)
                resultImages.push_back(&inner);
        }
    }
    for (const ContentBlock &block : message.content) {
        if (block.type == ContentBlock::Type::Text || block.type == ContentBlock::Type::Image)
            rest.push_back(&block);
    }
    // Tool messages cannot carry images on most servers: they follow as a user message.
    if (!resultImages.empty())
        rest.insert(rest.begin(), resultImages.begin(), resultImages.end());
    if (auto user = userMessage(rest))
        out.append(*user);
}

void appendAssistantTurn(const Message &message, QJsonArray &out) {
    QString text;
    QString reasoning;
    QJsonArray toolCalls;
    for (const ContentBlock &block : message.content) {
        switch (block.type) {
        case ContentBlock::Type::Text:
            if (!block.text.isEmpty())
                text += (text.isEmpty() ? QString() : u"\n\n"_s) + block.text;
            break;
        case ContentBlock::Type::Thinking:
            reasoning += block.text;
            break;
        case ContentBlock::Type::ToolUse:
            toolCalls.append(QJsonObject{
                {u"id"_s, block.id},
                {u"type"_s, u"function"_s},
                {u"function"_s,
                 QJsonObject{
                     {u"name"_s, block.name},
                     {u"arguments"_s,
                      QString::fromUtf8(QJsonDocument(block.input).toJson(QJsonDocument::Compact))}}}});
            break;
        default:
            break;
        }
    }
    if (text.isEmpty() && toolCalls.isEmpty())
        return;
    QJsonObject assistant{{u"role"_s, u"assistant"_s},
                          {u"content"_s, text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text)}};
    if (!toolCalls.isEmpty())
        assistant.insert(u"tool_calls"_s, toolCalls);
    // DeepSeek-style reasoning servers want their reasoning back; the others ignore the field.
    if (!reasoning.isEmpty())
        assistant.insert(u"reasoning_content"_s, reasoning);
    out.append(assistant);
}

QJsonValue toolChoice(const ToolChoice &choice) {
    switch (choice.type) {
    case ToolChoice::Type::Auto:
        return u"auto"_s;
    case ToolChoice::Type::Any:
        return u"required"_s;
    case ToolChoice::Type::None:
        return u"none"_s;
    case ToolChoice::Type::Tool:
        return QJsonObject{{u"type"_s, u"function"_s},
                           {u"function"_s, QJsonObject{{u"name"_s, choice.name}}}};
    }
    return u"auto"_s;
}

} // namespace

QJsonObject OpenAiRequestBuilder::buildBody(const MessageRequest &request, const ModelTarget &target,
                                            const BackendProfile &profile, QStringList *notes) {
    const QJsonArray tools =
        ChatShaping::functionTools(ChatShaping::offeredTools(request, notes), profile.toolSchemas, notes);
    QJsonArray messages;
    const QString system = ChatShaping::systemText(request);
    if (!system.isEmpty())
        messages.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, system}});
    const Message *previousAssistant = nullptr;
    for (const Message &message : request.messages) {
        if (message.role == Message::Role::User) {
            appendUserTurn(message, previousAssistant, tools, messages, notes);
        } else {
            appendAssistantTurn(message, messages);
            previousAssistant = &message;
        }
    }

    QJsonObject body{{u"model"_s, target.backendModel},
                     {u"messages"_s, messages},
                     {u"stream"_s, true},
                     {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}}};
    if (const int limit = ChatShaping::outputTokenLimit(request, target, profile, notes); limit > 0)
        body.insert(u"max_tokens"_s, limit);
    if (request.temperature)
        body.insert(u"temperature"_s, *request.temperature);
    if (request.topP)
        body.insert(u"top_p"_s, *request.topP);
    if (request.topK)
        body.insert(u"top_k"_s, *request.topK);
    if (!request.stopSequences.isEmpty())
        body.insert(u"stop"_s, QJsonArray::fromStringList(request.stopSequences));
    if (!tools.isEmpty()) {
        body.insert(u"tools"_s, tools);
        if (request.toolChoice) {
            body.insert(u"tool_choice"_s, toolChoice(*request.toolChoice));
            if (request.toolChoice->disableParallelToolUse)
                body.insert(u"parallel_tool_calls"_s, false);
        }
    }
    // Servers without reasoning ignore the field, or refuse it (the profile can turn it off).
    if (const ReasoningEffort effort = ReasoningEffort::of(request);
        profile.reasoningEffort && effort.on && !effort.level.isEmpty())
        body.insert(u"reasoning_effort"_s, effort.level);
    if (!request.outputSchema.isEmpty())
        body.insert(u"response_format"_s,
                    QJsonObject{{u"type"_s, u"json_schema"_s},
                                {u"json_schema"_s, QJsonObject{{u"name"_s, u"output"_s},
                                                               {u"schema"_s, request.outputSchema}}}});
    return body;
}

BackendRequest OpenAiRequestBuilder::build(const MessageRequest &request, const ModelTarget &target,
                                           const BackendProfile &profile, QStringList *notes) {
    BackendRequest out;
    out.url = ChatShaping::endpoint(profile.baseUrl, u"chat/completions"_s);
    out.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream")});
    if (!profile.apiKey.isEmpty())
        out.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + profile.apiKey.toUtf8()});
    out.body = QJsonDocument(buildBody(request, target, profile, notes)).toJson(QJsonDocument::Compact);
    return out;
}

} // namespace modelrelay
