// Asks a backend which models it serves (GET {base}/models for OpenAI-compatible servers,
// {base}/api/tags for Ollama): the "Test connection" of the settings, without blocking.
#pragma once

#include "config/BackendProfile.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

class QNetworkAccessManager;
class QNetworkReply;

namespace modelrelay {

class ModelLister : public QObject {
    Q_OBJECT
public:
    explicit ModelLister(QObject *parent = nullptr);

    void list(const BackendProfile &profile, int timeoutMs = 10000);

    // Pure: the model names in a /v1/models or /api/tags answer, sorted.
    static QStringList parseModelList(BackendKind kind, const QByteArray &body);
    // GET {base}/api/tags (Ollama), {base}/models (OpenAI), {base}/v1/models (Anthropic).
    static QUrl modelsUrl(const BackendProfile &profile);

signals:
    void listed(const QStringList &models);
    void failed(const QString &message);

private:
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
};

} // namespace modelrelay
