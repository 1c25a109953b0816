// The proxy in its worker thread: listens, admits each request (origin, host, access token, body
// type and size), and routes it by path: /v1/messages to a MessagesDelivery,
// /v1/messages/count_tokens to the CountTokensHandler, /health and Claude Code's side traffic
// answered here. Owns what every request shares: the learned state, the backends, the pool of
// backend connections.
#pragma once

#include "BackendConnectionPool.h"
#include "HttpCompat.h"
#include "LearnedModel.h"
#include "config/ProxyConfig.h"
#include "records/RequestRecord.h"

#include <QObject>
#include <memory>

class QHttpServer;
class QHttpServerRequest;

namespace modelrelay {

class BackendRegistry;
class CountTokensHandler;
class LearnedState;
struct IncomingRequest;

class ProxyServer : public QObject {
    Q_OBJECT
public:
    explicit ProxyServer(QObject *parent = nullptr);
    ~ProxyServer() override;

    // (Re)starts listening on config.host:config.port; false with a user-facing *error.
    bool listen(const ProxyConfig &config, QString *error);
    void close();
    // For the next request; requests in flight keep the configuration they started with.
    void setConfig(const ProxyConfig &config);
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
    void dispatch(const QHttpServerRequest &request, std::unique_ptr<ResponseWriter> writer);
    void answerHealth(IncomingRequest &incoming);
    void deliverMessages(IncomingRequest incoming);
    RequestRecord newRecord(const QString &endpoint);

    std::shared_ptr<const ProxyConfig> m_config;
    std::unique_ptr<QHttpServer> m_http;
    ConnectionTracker *m_tracker = nullptr; // owned by m_http's lifetime (child of this)
    BackendConnectionPool m_pool;
    LearnedState *m_learned;           // a child
    BackendRegistry *m_backends;       // a child
    CountTokensHandler *m_countTokens; // a child
    quint64 m_nextRequestId = 1;
};

} // namespace modelrelay
