// The proxy in its worker thread: owns the front door and what every request shares (the learned
// state, the backends, the transport to them), and routes each request by path:
// /v1/messages to a MessagesDelivery, /v1/messages/count_tokens to the CountTokensHandler,
// /health and Claude Code's probes answered here. Requests are admitted from their head alone
// (origin, host, access token, method, body type and size) before any body is read.
#pragma once

#include "LearnedModel.h"
#include "config/ProxyConfig.h"
#include "http/HttpRequestHandler.h"
#include "records/RequestRecord.h"

#include <QObject>
#include <memory>

namespace modelrelay {

class BackendRegistry;
class CountTokensHandler;
class FrontDoor;
class LearnedState;
class TransportSelector;
struct IncomingRequest;

class ProxyServer : public QObject, private HttpRequestHandler {
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
    enum class Route { Probe, Telemetry, Health, Messages, CountTokens, NotFound };
    static Route routeOf(const HttpRequestHead &head);

    Admission admit(const HttpRequestHead &head, const QElapsedTimer &clock) override;
    void handle(HttpRequest request, std::unique_ptr<ResponseWriter> writer) override;
    void bodyFailed(const HttpRequestHead &head, const ApiError &error, const QElapsedTimer &clock) override;

    // Records a /v1/messages or count_tokens request refused before it was read.
    void recordRefusal(Route route, const ApiError &error, const QElapsedTimer &clock);
    void answerHealth(ResponseWriter &writer);
    void deliverMessages(IncomingRequest incoming);
    RequestRecord newRecord(Route route);

    std::shared_ptr<const ProxyConfig> m_config;
    FrontDoor *m_frontDoor = nullptr;  // a child while listening
    TransportSelector *m_transport;    // a child
    LearnedState *m_learned;           // a child
    BackendRegistry *m_backends;       // a child
    CountTokensHandler *m_countTokens; // a child
    quint64 m_nextRequestId = 1;
};

} // namespace modelrelay
