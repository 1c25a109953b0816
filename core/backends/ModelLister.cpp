#include "ModelLister.h"

#include "BackendErrorTranslator.h"
#include "ChatShaping.h"
#include "anthropic_native/AnthropicNativeRequestBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

ModelLister::ModelLister(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this)) {}

QStringList ModelLister::parseModelList(BackendKind kind, const QByteArray &body) {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    QStringList names;
    const QJsonArray entries = root.value(kind == BackendKind::Ollama ? "models"_L1 : "data"_L1).toArray();
    for (const QJsonValue &entry : entries) {
        const QJsonObject o = entry.toObject();
        const QString name = o.value(kind == BackendKind::Ollama ? "name"_L1 : "id"_L1).toString();
        if (!name.isEmpty())
            names.append(name);
    }
    names.sort(Qt::CaseInsensitive);
    return names;
}

QUrl ModelLister::modelsUrl(const BackendProfile &profile) {
    switch (profile.kind) {
    case BackendKind::Ollama:
        return ChatShaping::endpoint(profile.baseUrl, u"api/tags"_s);
    case BackendKind::Anthropic: {
        QUrl url = AnthropicNativeRequestBuilder::messagesUrl(profile.baseUrl);
        url.setPath(url.path().chopped(int(qstrlen("messages"))) + u"models"_s);
        return url;
    }
    case BackendKind::OpenAI:
        break;
    }
    return ChatShaping::endpoint(profile.baseUrl, u"models"_s);
}

void ModelLister::list(const BackendProfile &profile, int timeoutMs) {
    if (m_reply)
        m_reply->abort();
    QNetworkRequest request(modelsUrl(profile));
    if (!profile.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + profile.apiKey.toUtf8());
    if (profile.kind == BackendKind::Anthropic) {
        // The Anthropic API's own list ({"data":[{"id":...}]}), served by Ollama, llama.cpp and vLLM.
        request.setRawHeader("anthropic-version", "2023-06-01");
        if (!profile.apiKey.isEmpty())
            request.setRawHeader("x-api-key", profile.apiKey.toUtf8());
    }
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    const BackendContext context{profile.kind, profile.shownUrl(), QString()};
    connect(reply, &QNetworkReply::finished, this, [this, reply, context] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::OperationCanceledError && m_reply != reply)
            return; // superseded by a newer request
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status >= 400) {
            emit failed(BackendErrorTranslator::fromHttpStatus(context, status, body).message);
            return;
        }
        if (reply->error() != QNetworkReply::NoError) {
            emit failed(
                BackendErrorTranslator::fromNetworkError(context, reply->error(), reply->errorString())
                    .message);
            return;
        }
        emit listed(parseModelList(context.kind, body));
    });
}

} // namespace modelrelay
