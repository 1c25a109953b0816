#include "OllamaRequestBuilder.h"

#include "backends/ChatShaping.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

class MessageWriter {
public:
    MessageWriter(QJsonArray &out, QStringList *notes)
        : m_out(out)
        , m_notes(notes) {}

    void user(const Message &message) {
        // Tool results answer the previous assistant turn, so they come first.
        QString text;
        QJsonArray images;
        for (const ContentBlock &block : message.content) {
            switch (block.type) {
            case ContentBlock::Type::ToolResult: {
                QJsonObject tool{{u"role"_s, u"tool"_s}, {u"content"_s, ChatShaping::toolResultText(block)}};
                // Ollama does not echo call ids; it matches results to calls by tool name.
                const QString name = m_toolNames.value(block.toolUseId);
                if (!name.isEmpty())
                    tool.insert(u"tool_name"_s, name);
                QJsonArray resultImages;
                for (const ContentBlock &inner : block.content)
                    addImage(inner, resultImages);
                if (!resultImages.isEmpty())
                    tool.insert(u"images"_s, resultImages);
                m_out.append(tool);
                break;
            }
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
    QStringList *m_notes;
    QHash<QString, QString> m_toolNames; // tool_use id -> tool name
};

} // namespace

QJsonObject OllamaRequestBuilder::buildBody(const MessageRequest &request, const ModelTarget &target,
                                            const BackendProfile &profile, QStringList *notes) {
    QJsonArray messages;
    const QString system = ChatShaping::systemText(request);
    if (!system.isEmpty())
        messages.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, system}});
    MessageWriter writer(messages, notes);
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
    if (!request.tools.empty() && !toolsOff)
        body.insert(u"tools"_s, ChatShaping::functionTools(request.tools, profile.toolSchemas, notes));
    if (request.toolChoice && notes &&
        (request.toolChoice->type == ToolChoice::Type::Any ||
         request.toolChoice->type == ToolChoice::Type::Tool))
        notes->append(u"Ollama cannot force a tool call: tool_choice ignored"_s);
    // Only an explicit request turns thinking on: Ollama rejects think:true for models without
    // thinking support, and "adaptive" means the model's own default, which is Ollama's too.
    if (request.thinking.type == ThinkingConfig::Type::Enabled)
        body.insert(u"think"_s, true);
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
