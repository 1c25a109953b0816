#include "BackendTokenizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

QString contentText(const QJsonValue &content) {
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const QJsonValue &part : content.toArray()) {
        const QJsonObject object = part.toObject();
        if (object.value(u"type"_s).toString() == u"text"_s)
            parts.append(object.value(u"text"_s).toString());
    }
    return parts.join(u'\n');
}

QString messageText(const QJsonObject &message) {
    QStringList parts{message.value(u"role"_s).toString()};
    const QString content = contentText(message.value(u"content"_s));
    if (!content.isEmpty())
        parts.append(content);
    const QString reasoning = message.value(u"reasoning_content"_s).toString();
    if (!reasoning.isEmpty())
        parts.append(reasoning);
    for (const QJsonValue &call : message.value(u"tool_calls"_s).toArray()) {
        const QJsonObject function = call.toObject().value(u"function"_s).toObject();
        parts.append(function.value(u"name"_s).toString());
        parts.append(function.value(u"arguments"_s).toString());
    }
    return parts.join(u'\n');
}

} // namespace

QUrl BackendTokenizer::tokenizeUrl(const QUrl &openAiBaseUrl) {
    QUrl url = openAiBaseUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    if (path.endsWith(u"/v1"_s))
        path.chop(3);
    url.setPath(path + u"/tokenize"_s);
    url.setQuery(QString());
    return url;
}

QByteArray BackendTokenizer::vllmRequest(const QJsonObject &chatBody) {
    QJsonObject request{{u"model"_s, chatBody.value(u"model"_s)},
                        {u"messages"_s, chatBody.value(u"messages"_s)},
                        {u"add_generation_prompt"_s, true}};
    if (const QJsonArray tools = chatBody.value(u"tools"_s).toArray(); !tools.isEmpty())
        request.insert(u"tools"_s, tools);
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

BackendTokenizer::TextRequest BackendTokenizer::llamaCppRequest(const QJsonObject &chatBody) {
    QStringList parts;
    const QJsonArray messages = chatBody.value(u"messages"_s).toArray();
    for (const QJsonValue &message : messages)
        parts.append(messageText(message.toObject()));
    // The template renders the tool schemas into the prompt as JSON text.
    for (const QJsonValue &tool : chatBody.value(u"tools"_s).toArray())
        parts.append(QString::fromUtf8(QJsonDocument(tool.toObject()).toJson(QJsonDocument::Compact)));
    const QJsonObject request{{u"content"_s, parts.join(u'\n')}, {u"add_special"_s, true}};
    return {QJsonDocument(request).toJson(QJsonDocument::Compact),
            int(messages.size()) * kLlamaCppTokensPerMessage + kLlamaCppTokensForAnswerPrompt};
}

std::optional<BackendTokenizer::Answer> BackendTokenizer::parseAnswer(const QByteArray &body) {
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    const QJsonValue count = answer.value(u"count"_s);
    if (count.isDouble()) {
        const double n = count.toDouble();
        if (n < 0 || n != double(int(n)))
            return std::nullopt;
        return Answer{TokenizerDialect::Vllm, int(n)};
    }
    if (answer.value(u"tokens"_s).isArray())
        return Answer{TokenizerDialect::LlamaCpp, int(answer.value(u"tokens"_s).toArray().size())};
    return std::nullopt;
}

} // namespace modelrelay
