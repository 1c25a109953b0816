#include "OllamaRequestBuilder.h"

#include "backends/ChatShaping.h"
#include "backends/ReasoningEffort.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

class MessageWriter {
public:
    MessageWriter(QJsonArray &out, const QJsonArray &functions, QStringList *notes)
        : m_out(out)
        , m_functions(functions)
        , m_notes(notes) {}

    void user(const Message &message) {
        // Tool results answer the previous assistant turn, so they come first, in the order of the
        // calls: Ollama's chat templates pair results with calls by position.
        for (const ContentBlock *result :
             ChatShaping::toolResultsInCallOrder(message, m_previousAssistant, m_notes)) {
            QJsonObject tool{{u"role"_s, u"tool"_s},
                             {u"content"_s, ChatShaping::toolResultText(*result, m_functions)},
                             {u"tool_call_id"_s, result->toolUseId}};
            // Templates that ignore ids find the call by the tool's name.
            const QString name = m_toolNames.value(result->toolUseId);
            if (!name.isEmpty())
                tool.insert(u"tool_name"_s, name);
            QJsonArray resultImages;
            for (const ContentBlock &inner : result->content)
                addImage(inner, resultImages);
            if (!resultImages.isEmpty())
                tool.insert(u"images"_s, resultImages);
            m_out.append(tool);
        }
        QString text;
        QJsonArray images;
        for (const ContentBlock &block : message.content) {
            switch (block.type) {
            case ContentBlock::Type::Text:
                if (!block.text.isEmpty())
                    text += (text.isEmpty() ? QString() : u"\n\n"_s) + block.text;
                break;
            case ContentBlock::Type::Image:
                addImage(block, images);
                break;
            default:
                break;
            }
        }
        if (text.isEmpty() && images.isEmpty())
            return;
        QJsonObject user{{u"role"_s, u"user"_s}, {u"content"_s, text}};
        if (!images.isEmpty())
            user.insert(u"images"_s, images);
        m_out.append(user);
    }

    void assistant(const Message &message) {
        m_previousAssistant = &message;
        QString text;
        QString thinking;
        QJsonArray toolCalls;
        for (const ContentBlock &block : message.content) {
            if (block.type == ContentBlock::Type::Text && !block.text.isEmpty())
                text += (text.isEmpty() ? QString() : u"\n\n"_s) + block.text;
            else if (block.type == ContentBlock::Type::Thinking)
                thinking += block.text;
            else if (block.type == ContentBlock::Type::ToolUse) {
                m_toolNames.insert(block.id, block.name);
                toolCalls.append(QJsonObject{
                    {u"id"_s, block.id},
                    {u"function"_s, QJsonObject{{u"name"_s, block.name}, {u"arguments"_s, block.input}}}});
            }
        }
        if (text.isEmpty() && toolCalls.isEmpty() && thinking.isEmpty())
            return;
        QJsonObject assistant{{u"role"_s, u"assistant"_s}, {u"content"_s, text}};
        if (!thinking.isEmpty())
            assistant.insert(u"thinking"_s, thinking);
        if (!toolCalls.isEmpty())
            assistant.insert(u"tool_calls"_s, toolCalls);
        m_out.append(assistant);
    }

private:
    void addImage(const ContentBlock &block, QJsonArray &images) {
        if (block.type != ContentBlock::Type::Image)
            return;
        if (!block.imageBase64.isEmpty()) {
            images.append(block.imageBase64);
        } else if (m_notes) {
            const QString note =
                u"dropped an image given by URL (Ollama accepts only inline base64 images)"_s;
            if (!m_notes->contains(note))
                m_notes->append(note);
        }
    }

    QJsonArray &m_out;
    const QJsonArray &m_functions;
    QStringList *m_notes;
    QHash<QString, QString> m_toolNames; // tool_use id -> tool name
    const Message *m_previousAssistant = nullptr;
};

// Ollama turns thinking on for thinking models when `think` is absent (every answer slow), and
// refuses think:true (or a level) for models without it.
void addThink(QJsonObject &body, const MessageRequest &request, const ModelTarget &target,
              QStringList *notes) {
    const ReasoningEffort effort = ReasoningEffort::of(request);
    if (!effort.on) {
        body.insert(u"think"_s, false);
        return;
    }
    switch (target.thinking) {
    case ThinkingSupport::Levels:
        body.insert(u"think"_s, effort.level.isEmpty() ? u"medium"_s : effort.level);
        return;
    case ThinkingSupport::OnOff:
        body.insert(u"think"_s, true);
        return;
    case ThinkingSupport::None:
        if (notes)
            notes->append(u"%1 does not think (Ollama's capabilities): thinking not asked for"_s.arg(
                target.backendModel));
        return;
    case ThinkingSupport::Unknown:
        // Without Ollama's word, only an explicit request risks a refusal; "adaptive" leaves the
        // model's default, which is to think when it can.
        if (request.thinking.type == ThinkingConfig::Type::Enabled)
            body.insert(u"think"_s, true);
        return;
    }
}

} // namespace

QJsonObject OllamaRequestBuilder::buildBody(const MessageRequest &request, const ModelTarget &target,
                                            const BackendProfile &profile, QStringList *notes) {
    const QJsonArray tools =
        ChatShaping::functionTools(ChatShaping::offeredTools(request, notes), profile.toolSchemas, notes);
    QJsonArray messages;
    const QString system = ChatShaping::systemText(request);
    if (!system.isEmpty())
        messages.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, system}});
    MessageWriter writer(messages, tools, notes);
    for (const Message &message : request.messages) {
        if (message.role == Message::Role::User)
            writer.user(message);
        else
            writer.assistant(message);
    }

    // Ollama's default context (2k-4k tokens) silently cuts Claude Code's prompts: always say.
    QJsonObject options{
        {u"num_ctx"_s, target.contextSize > 0 ? target.contextSize : profile.ollamaContextSize}};
    if (const int limit = ChatShaping::outputTokenLimit(request, target, profile, notes); limit > 0)
        options.insert(u"num_predict"_s, limit);
    if (request.temperature)
        options.insert(u"temperature"_s, *request.temperature);
    if (request.topP)
        options.insert(u"top_p"_s, *request.topP);
    if (request.topK)
        options.insert(u"top_k"_s, *request.topK);
    if (!request.stopSequences.isEmpty())
        options.insert(u"stop"_s, QJsonArray::fromStringList(request.stopSequences));

    QJsonObject body{{u"model"_s, target.backendModel},
                     {u"messages"_s, messages},
                     {u"stream"_s, true},
                     {u"options"_s, options}};
    const bool toolsOff = request.toolChoice && request.toolChoice->type == ToolChoice::Type::None;
    if (!tools.isEmpty() && !toolsOff)
        body.insert(u"tools"_s, tools);
    if (request.toolChoice && notes &&
        (request.toolChoice->type == ToolChoice::Type::Any ||
         request.toolChoice->type == ToolChoice::Type::Tool))
        notes->append(u"Ollama cannot force a tool call: tool_choice ignored"_s);
    if (profile.reasoningEffort)
        addThink(body, request, target, notes);
    if (!request.outputSchema.isEmpty())
        body.insert(u"format"_s, request.outputSchema);
    return body;
}

BackendRequest OllamaRequestBuilder::build(const MessageRequest &request, const ModelTarget &target,
                                           const BackendProfile &profile, QStringList *notes) {
    BackendRequest out;
    out.url = ChatShaping::endpoint(profile.baseUrl, u"api/chat"_s);
    if (!profile.apiKey.isEmpty())
        out.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + profile.apiKey.toUtf8()});
    out.body = QJsonDocument(buildBody(request, target, profile, notes)).toJson(QJsonDocument::Compact);
    return out;
}

} // namespace modelrelay
