// The HTTP front of the proxy (lives in the worker thread): listens, routes each request
// (/v1/messages, /v1/messages/count_tokens, /health, Claude Code's side traffic), validates and
// maps it, and hands /v1/messages to a MessagesExchange.
#pragma once

#include "BackendConnectionPool.h"
#include "HttpCompat.h"
#include "config/ProxyConfig.h"
#include "records/RequestRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <memory>

class QHttpServer;
class QHttpServerRequest;

namespace modelrelay {

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

signals:
    void requestFinished(const modelrelay::RequestRecord &record);
    void logMessage(modelrelay::LogLevel level, const QString &message);

private:
    struct Incoming;
    void dispatch(const QHttpServerRequest &request, std::unique_ptr<ResponseWriter> writer);
    void handleMessages(Incoming &incoming);
    void handleCountTokens(Incoming &incoming);
    void handleHealth(Incoming &incoming);
    void answerError(Incoming &incoming, const class ApiError &error);
    RequestRecord newRecord(const QString &endpoint);

    ProxyConfig m_config;
    std::unique_ptr<QHttpServer> m_http;
    ConnectionTracker *m_tracker = nullptr; // owned by m_http's lifetime (child of this)
    BackendConnectionPool m_pool;
    quint64 m_nextRequestId = 1;
};

} // namespace modelrelay
