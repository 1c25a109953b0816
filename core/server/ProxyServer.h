// The HTTP front of the proxy (lives in the worker thread): listens, routes each request
// (/v1/messages, /v1/messages/count_tokens, /health, Claude Code's side traffic), validates and
// maps it, and hands /v1/messages to a MessagesExchange.
#pragma once

#include "BackendConnectionPool.h"
#include "HttpCompat.h"
#include "LearnedModel.h"
#include "OllamaModelCatalog.h"
#include "config/ModelTarget.h"
#include "config/ProxyConfig.h"
#include "records/RequestRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <memory>

class QHttpServer;
class QHttpServerRequest;

namespace modelrelay {

class LearnedLimits;
class TokenCalibration;
class TokenizerProbe;

class ProxyServer : public QObject {
    Q_OBJECT
public:
    explicit ProxyServer(QObject *parent = nullptr);
    ~ProxyServer() override;

    // (Re)starts listening on config.host:config.port; false with a user-facing *error.
    bool listen(const ProxyConfig &config, QString *error);
    void close();
    void setConfig(const ProxyConfig &config) { m_config = config; }
    bool isListening() const;
    quint16 port() const; // the bound port (useful with port 0)
    // Drops what was learned about `backendModel` (every model when empty): token calibration and
    // output limits, in memory and in ProxyConfig::learnedFile.
    void forgetLearned(const QString &backendModel);
    // What is learned now, one entry per backend model, sorted by name.
    LearnedModels learnedModels();

signals:
    void requestFinished(const modelrelay::RequestRecord &record);
    void logMessage(modelrelay::LogLevel level, const QString &message);

private:
    struct Incoming;
    struct Delivery;
    void dispatch(const QHttpServerRequest &request, std::unique_ptr<ResponseWriter> writer);
    void handleMessages(Incoming &incoming);
    void attempt(const std::shared_ptr<Delivery> &delivery);
    void planOllamaContext(Delivery &delivery, ModelTarget &target, int modelContext);
    void sendToBackend(const std::shared_ptr<Delivery> &delivery, const ModelTarget &target);
    void retryCapped(const std::shared_ptr<Delivery> &delivery, const QString &backendModel);
    void fallBack(const std::shared_ptr<Delivery> &delivery);
    TokenCalibration &calibration();
    LearnedLimits &learnedLimits();
    void handleCountTokens(Incoming &incoming);
    void handleHealth(Incoming &incoming);
    void answerError(Incoming &incoming, const struct ApiError &error);
    RequestRecord newRecord(const QString &endpoint);

    ProxyConfig m_config;
    std::unique_ptr<QHttpServer> m_http;
    ConnectionTracker *m_tracker = nullptr; // owned by m_http's lifetime (child of this)
    BackendConnectionPool m_pool;
    OllamaModelCatalog *m_ollamaModels; // a child
    std::unique_ptr<TokenCalibration> m_calibration;
    std::unique_ptr<LearnedLimits> m_learnedLimits;
    QString m_learnedFile;                      // the file m_calibration and m_learnedLimits were loaded from
    TokenizerProbe *m_tokenizerProbe = nullptr; // a child, created on first use in the worker thread
    quint64 m_nextRequestId = 1;
};

} // namespace modelrelay
