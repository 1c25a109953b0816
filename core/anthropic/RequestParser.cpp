#include "RequestParser.h"

#include "ToolUseId.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>
#include <optional>

namespace modelrelay {

namespace {

using namespace Qt::Literals::StringLiterals;

const QString kBillingHeaderPrefix = u"x-anthropic-billing-header:"_s;

// Thrown inside the parser only; parse() turns it into an ApiError.
struct Invalid {
    QString message;
};

[[noreturn]] void fail(const QString &path, const QString &problem) {
    throw Invalid{path.isEmpty() ? problem : path + u": "_s + problem};
}

QString jsonTypeName(const QJsonValue &v) {
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"missing"_s;
}

QString requireString(const QJsonObject &o, QLatin1StringView key, const QString &path) {
    const QJsonValue v = o.value(key);
    if (!v.isString())
        fail(path + u'.' + key, u"must be a string, got "_s + jsonTypeName(v));
    return v.toString();
}

// Tool names are how backends match calls to tools: an empty one cannot be called or answered.
QString requireName(const QJsonObject &o, QLatin1StringView key, const QString &path) {
    const QString name = requireString(o, key, path);
    if (name.trimmed().isEmpty())
        fail(path + u'.' + key, u"must not be empty"_s);
    return name;
}

QString optionalString(const QJsonObject &o, QLatin1StringView key, const QString &path) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        fail(path + u'.' + key, u"must be a string, got "_s + jsonTypeName(v));
    return v.toString();
}

std::optional<double> optionalNumber(const QJsonObject &o, QLatin1StringView key) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isDouble())
        fail(QString(key), u"must be a number, got "_s + jsonTypeName(v));
    return v.toDouble();
}

std::optional<int> optionalInteger(const QJsonObject &o, QLatin1StringView key, const QString &path) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    const double d = v.toDouble(-1.5);
    if (!v.isDouble() || d != static_cast<double>(static_cast<qint64>(d)))
        fail(path.isEmpty() ? QString(key) : path + u'.' + key,
             u"must be an integer, got "_s + jsonTypeName(v));
    if (d > 2147483647.0 || d < -2147483648.0)
        fail(path.isEmpty() ? QString(key) : path + u'.' + key, u"is out of range"_s);
    return static_cast<int>(d);
}

class Parser {
public:
    explicit Parser(const ParseOptions &options)
        : m_options(options) {}

    MessageRequest parse(const QJsonObject &root);

private:
    void parseSystem(const QJsonValue &system);
    void parseMessages(const QJsonValue &messages);
    std::vector<ContentBlock> parseContent(const QJsonValue &content, const QString &path, bool nested);
    std::optional<ContentBlock> parseBlock(const QJsonObject &block, const QString &path, bool nested);
    ContentBlock parseImage(const QJsonObject &block, const QString &path);
    void parseTools(const QJsonValue &tools);
    void parseToolChoice(const QJsonValue &choice);
    void parseThinking(const QJsonValue &thinking);
    void parseOutputConfig(const QJsonValue &config);
    void markLoadedTools();
    void note(const QString &text) {
        if (!m_request.notes.contains(text))
            m_request.notes.append(text);
    }

    const ParseOptions &m_options;
    MessageRequest m_request;
};

MessageRequest Parser::parse(const QJsonObject &root) {
    const QJsonValue model = root.value("model"_L1);
    if (model.isUndefined() || model.isNull())
        fail(u"model"_s, u"field required"_s);
    if (!model.isString() || model.toString().trimmed().isEmpty())
        fail(u"model"_s, u"must be a non-empty string"_s);
    m_request.model = model.toString();
    m_request.clientJson = root;

    const std::optional<int> maxTokens = optionalInteger(root, "max_tokens"_L1, {});
    if (maxTokens) {
        if (*maxTokens < 1)
            fail(u"max_tokens"_s, u"must be at least 1"_s);
        m_request.maxTokens = *maxTokens;
    } else if (m_options.requireMaxTokens) {
        fail(u"max_tokens"_s, u"field required"_s);
    }

    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == "model"_L1 || key == "max_tokens"_L1 || key == "messages"_L1)
            continue;
        if (key == "system"_L1)
            parseSystem(value);
        else if (key == "tools"_L1)
            parseTools(value);
        else if (key == "tool_choice"_L1)
            parseToolChoice(value);
        else if (key == "thinking"_L1)
            parseThinking(value);
        else if (key == "output_config"_L1)
            parseOutputConfig(value);
        else if (key == "stream"_L1) {
            if (!value.isBool() && !value.isNull())
                fail(u"stream"_s, u"must be a boolean, got "_s + jsonTypeName(value));
            m_request.stream = value.toBool(false);
        } else if (key == "temperature"_L1)
            m_request.temperature = optionalNumber(root, "temperature"_L1);
        else if (key == "top_p"_L1)
            m_request.topP = optionalNumber(root, "top_p"_L1);
        else if (key == "top_k"_L1)
            m_request.topK = optionalInteger(root, "top_k"_L1, {});
        else if (key == "stop_sequences"_L1) {
            if (value.isNull())
                continue;
            if (!value.isArray())
                fail(u"stop_sequences"_s, u"must be an array of strings"_s);
            const QJsonArray array = value.toArray();
            for (const QJsonValue &s : array) {
                if (!s.isString())
                    fail(u"stop_sequences"_s, u"must be an array of strings"_s);
                m_request.stopSequences.append(s.toString());
            }
        } else if (key == "metadata"_L1) {
            // Identifiers stay here: they are never forwarded to a third party.
        } else {
            note(u"ignored field '%1'"_s.arg(key));
        }
    }

    // Messages last, so that inline system messages follow the top-level system prompt.
    parseMessages(root.value("messages"_L1));
    markLoadedTools();
    return std::move(m_request);
}

void Parser::markLoadedTools() {
    QSet<QString> loaded;
    for (const Message &message : m_request.messages) {
        for (const ContentBlock &block : message.content) {
            for (const ContentBlock &inner : block.content) {
                if (inner.type == ContentBlock::Type::ToolReference)
                    loaded.insert(inner.name);
            }
        }
    }
    for (ToolDefinition &tool : m_request.tools) {
        if (tool.deferred && loaded.contains(tool.name))
            tool.deferred = false;
    }
}

void Parser::parseSystem(const QJsonValue &system) {
    if (system.isNull() || system.isUndefined())
        return;
    if (system.isString()) {
        if (!system.toString().isEmpty())
            m_request.system.append(system.toString());
        return;
    }
    if (!system.isArray())
        fail(u"system"_s, u"must be a string or an array of text blocks, got "_s + jsonTypeName(system));
    const QJsonArray blocks = system.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QString path = u"system.%1"_s.arg(i);
        const QJsonObject block = blocks.at(i).toObject();
        if (!blocks.at(i).isObject())
            fail(path, u"must be a text block"_s);
        const QString type = optionalString(block, "type"_L1, path);
        if (!type.isEmpty() && type != "text"_L1) {
            note(u"dropped a system block of type '%1'"_s.arg(type));
            continue;
        }
        const QString text = requireString(block, "text"_L1, path);
        // Claude Code's billing line can carry a per-request value, which would change the
        // prompt prefix every time and defeat the backend's prompt cache.
        if (!m_options.keepBillingHeader && RequestParser::isBillingHeader(text)) {
            note(u"dropped the x-anthropic-billing-header system block"_s);
            m_request.billingHeaderDropped = true;
            continue;
        }
        if (!text.isEmpty())
            m_request.system.append(text);
    }
}

void Parser::parseMessages(const QJsonValue &messages) {
    if (messages.isUndefined() || messages.isNull())
        fail(u"messages"_s, u"field required"_s);
    if (!messages.isArray())
        fail(u"messages"_s, u"must be an array, got "_s + jsonTypeName(messages));
    const QJsonArray array = messages.toArray();
    if (array.isEmpty())
        fail(u"messages"_s, u"must contain at least one message"_s);
    m_request.messages.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = u"messages.%1"_s.arg(i);
        if (!array.at(i).isObject())
            fail(path, u"must be an object, got "_s + jsonTypeName(array.at(i)));
        const QJsonObject message = array.at(i).toObject();
        const QJsonValue roleValue = message.value("role"_L1);
        if (!roleValue.isString())
            fail(path + u".role"_s, u"field required (\"user\" or \"assistant\")"_s);
        const QString role = roleValue.toString();
        const QJsonValue content = message.value("content"_L1);
        if (content.isUndefined() || content.isNull())
            fail(path + u".content"_s, u"field required"_s);

        if (role == "system"_L1) {
            // Anthropic accepts system messages mid-conversation (Claude Code sends them); many
            // chat templates reject a system message that is not first, so it joins the system prompt.
            for (ContentBlock &block : parseContent(content, path + u".content"_s, false)) {
                if (block.type == ContentBlock::Type::Text && !block.text.isEmpty())
                    m_request.system.append(std::move(block.text));
            }
            note(u"merged an inline system message into the system prompt"_s);
            continue;
        }
        Message parsed;
        if (role == "user"_L1)
            parsed.role = Message::Role::User;
        else if (role == "assistant"_L1)
            parsed.role = Message::Role::Assistant;
        else
            fail(path + u".role"_s, u"unknown role '%1' (expected \"user\" or \"assistant\")"_s.arg(role));
        parsed.content = parseContent(content, path + u".content"_s, false);
        m_request.messages.push_back(std::move(parsed));
    }
    if (m_request.messages.empty())
        fail(u"messages"_s, u"must contain at least one user or assistant message"_s);
}

std::vector<ContentBlock> Parser::parseContent(const QJsonValue &content, const QString &path, bool nested) {
    std::vector<ContentBlock> blocks;
    if (content.isString()) {
        blocks.push_back(ContentBlock::makeText(content.toString()));
        return blocks;
    }
    if (!content.isArray())
        fail(path, u"must be a string or an array of content blocks, got "_s + jsonTypeName(content));
    const QJsonArray array = content.toArray();
    blocks.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString blockPath = path + u'.' + QString::number(i);
        if (!array.at(i).isObject())
            fail(blockPath, u"must be a content block object, got "_s + jsonTypeName(array.at(i)));
        if (auto block = parseBlock(array.at(i).toObject(), blockPath, nested))
            blocks.push_back(std::move(*block));
    }
    return blocks;
}

std::optional<ContentBlock> Parser::parseBlock(const QJsonObject &object, const QString &path, bool nested) {
    const QJsonValue typeValue = object.value("type"_L1);
    if (!typeValue.isString())
        fail(path + u".type"_s, u"field required"_s);
    const QString type = typeValue.toString();
    ContentBlock block;

    if (type == "text"_L1) {
        block.text = requireString(object, "text"_L1, path);
        return block;
    }
    if (type == "image"_L1)
        return parseImage(object, path);
    if (nested) {
        if (type == "tool_reference"_L1 && !optionalString(object, "tool_name"_L1, path).isEmpty()) {
            block.type = ContentBlock::Type::ToolReference;
            block.name = object.value("tool_name"_L1).toString();
            return block;
        }
        note(u"dropped a '%1' block inside a tool result"_s.arg(type));
        return std::nullopt;
    }
    if (type == "tool_use"_L1 || type == "server_tool_use"_L1) {
        block.type = ContentBlock::Type::ToolUse;
        block.id = ToolUseId::sanitized(requireString(object, "id"_L1, path));
        block.name = requireName(object, "name"_L1, path);
        const QJsonValue input = object.value("input"_L1);
        if (!input.isObject() && !input.isUndefined() && !input.isNull())
            fail(path + u".input"_s, u"must be an object, got "_s + jsonTypeName(input));
        block.input = input.toObject();
        return block;
    }
    if (type == "tool_result"_L1) {
        block.type = ContentBlock::Type::ToolResult;
        block.toolUseId = ToolUseId::sanitized(requireString(object, "tool_use_id"_L1, path));
        block.isError = object.value("is_error"_L1).toBool(false);
        const QJsonValue content = object.value("content"_L1);
        if (!content.isUndefined() && !content.isNull())
            block.content = parseContent(content, path + u".content"_s, true);
        return block;
    }
    if (type == "thinking"_L1) {
        block.type = ContentBlock::Type::Thinking;
        block.text = optionalString(object, "thinking"_L1, path);
        block.signature = optionalString(object, "signature"_L1, path);
        return block;
    }
    if (type == "redacted_thinking"_L1) {
        block.type = ContentBlock::Type::RedactedThinking;
        block.text = optionalString(object, "data"_L1, path);
        return block;
    }
    if (type == "document"_L1) {
        const QJsonObject source = object.value("source"_L1).toObject();
        if (source.value("type"_L1).toString() == "text"_L1) {
            block.text = source.value("data"_L1).toString();
            return block;
        }
        note(u"dropped a document block (only plain-text documents can be forwarded)"_s);
        return std::nullopt;
    }
    note(u"dropped a content block of unknown type '%1'"_s.arg(type));
    return std::nullopt;
}

ContentBlock Parser::parseImage(const QJsonObject &object, const QString &path) {
    ContentBlock block;
    block.type = ContentBlock::Type::Image;
    const QJsonValue sourceValue = object.value("source"_L1);
    if (!sourceValue.isObject())
        fail(path + u".source"_s, u"image block has no source"_s);
    const QJsonObject source = sourceValue.toObject();
    const QString sourceType = source.value("type"_L1).toString();
    if (sourceType == "base64"_L1) {
        block.imageBase64 = source.value("data"_L1).toString();
        block.mediaType = source.value("media_type"_L1).toString();
        if (block.imageBase64.isEmpty())
            fail(path + u".source.data"_s, u"image block has no data"_s);
        if (block.mediaType.isEmpty())
            fail(path + u".source.media_type"_s, u"field required (e.g. \"image/png\")"_s);
    } else if (sourceType == "url"_L1) {
        block.imageUrl = source.value("url"_L1).toString();
        if (block.imageUrl.isEmpty())
            fail(path + u".source.url"_s, u"image block has no url"_s);
    } else {
        fail(path + u".source.type"_s,
             u"unsupported image source '%1' (expected \"base64\" or \"url\")"_s.arg(sourceType));
    }
    return block;
}

void Parser::parseTools(const QJsonValue &tools) {
    if (tools.isNull() || tools.isUndefined())
        return;
    if (!tools.isArray())
        fail(u"tools"_s, u"must be an array, got "_s + jsonTypeName(tools));
    const QJsonArray array = tools.toArray();
    QStringList serverTools;
    m_request.tools.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = u"tools.%1"_s.arg(i);
        if (!array.at(i).isObject())
            fail(path, u"must be an object"_s);
        const QJsonObject tool = array.at(i).toObject();
        const QString type = optionalString(tool, "type"_L1, path);
        if (!type.isEmpty() && type != "custom"_L1) {
            serverTools.append(tool.value("name"_L1).toString(type));
            continue;
        }
        ToolDefinition definition;
        definition.name = requireName(tool, "name"_L1, path);
        definition.description = optionalString(tool, "description"_L1, path);
        definition.deferred = tool.value("defer_loading"_L1).toBool(false);
        const QJsonValue schema = tool.value("input_schema"_L1);
        if (!schema.isObject() && !schema.isUndefined() && !schema.isNull())
            fail(path + u".input_schema"_s, u"must be an object"_s);
        definition.inputSchema = schema.toObject();
        m_request.tools.push_back(std::move(definition));
    }
    if (!serverTools.isEmpty())
        note(u"dropped server tools the backend cannot run: %1"_s.arg(serverTools.join(u", "_s)));
}

void Parser::parseToolChoice(const QJsonValue &value) {
    if (value.isNull() || value.isUndefined())
        return;
    if (!value.isObject())
        fail(u"tool_choice"_s, u"must be an object"_s);
    const QJsonObject object = value.toObject();
    const QString type = requireString(object, "type"_L1, u"tool_choice"_s);
    ToolChoice choice;
    if (type == "auto"_L1)
        choice.type = ToolChoice::Type::Auto;
    else if (type == "any"_L1)
        choice.type = ToolChoice::Type::Any;
    else if (type == "none"_L1)
        choice.type = ToolChoice::Type::None;
    else if (type == "tool"_L1) {
        choice.type = ToolChoice::Type::Tool;
        choice.name = requireName(object, "name"_L1, u"tool_choice"_s);
    } else {
        note(u"ignored tool_choice of unknown type '%1'"_s.arg(type));
        return;
    }
    choice.disableParallelToolUse = object.value("disable_parallel_tool_use"_L1).toBool(false);
    m_request.toolChoice = choice;
}

void Parser::parseThinking(const QJsonValue &value) {
    if (value.isNull() || value.isUndefined())
        return;
    if (!value.isObject())
        fail(u"thinking"_s, u"must be an object"_s);
    const QJsonObject object = value.toObject();
    const QString type = object.value("type"_L1).toString();
    if (type == "enabled"_L1) {
        m_request.thinking.type = ThinkingConfig::Type::Enabled;
        m_request.thinking.budgetTokens =
            optionalInteger(object, "budget_tokens"_L1, u"thinking"_s).value_or(0);
    } else if (type == "adaptive"_L1) {
        m_request.thinking.type = ThinkingConfig::Type::Adaptive;
    } else if (type == "disabled"_L1) {
        m_request.thinking.type = ThinkingConfig::Type::Disabled;
    } else {
        note(u"ignored thinking of unknown type '%1'"_s.arg(type));
    }
}

void Parser::parseOutputConfig(const QJsonValue &value) {
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    m_request.effort = object.value("effort"_L1).toString();
    const QJsonObject format = object.value("format"_L1).toObject();
    if (format.value("type"_L1).toString() == "json_schema"_L1)
        m_request.outputSchema = format.value("schema"_L1).toObject();
}

} // namespace

bool RequestParser::isBillingHeader(const QString &systemText) {
    return systemText.startsWith(kBillingHeaderPrefix);
}

std::variant<MessageRequest, ApiError> RequestParser::parse(const QByteArray &body,
                                                            const ParseOptions &options) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return ApiError::invalidRequest(
            u"request body is not valid JSON: %1 at offset %2"_s.arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return ApiError::invalidRequest(u"request body must be a JSON object"_s);
    try {
        return Parser(options).parse(document.object());
    } catch (const Invalid &invalid) {
        return ApiError::invalidRequest(invalid.message);
    }
}

} // namespace modelrelay
