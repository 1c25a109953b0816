// One /v1/messages request from parse to last byte: plans its attempts (routing rule or model map,
// then fallbacks), runs them one at a time, and decides from each ExchangeOutcome what comes next:
// the same backend again with max_tokens capped (it refused max_tokens and said its limit), the
// next backend of the plan (no answer, 429 or 5xx before anything reached the client), or the
// error for the client. Holds the client's ResponseWriter throughout and reports one
// RequestRecord at the end, then deletes itself.
#pragma once

#include "ExchangeOutcome.h"
#include "anthropic/MessageRequest.h"
#include "backends/Backend.h"
#include "backends/BackendLimitParser.h"
#include "backends/RequestRouter.h"
#include "config/ProxyConfig.h"
#include "server/IncomingRequest.h"

#include <QObject>
#include <memory>
#include <optional>

namespace modelrelay {

class BackendRegistry;
class BackendTransport;
class LearnedState;
class MessagesExchange;

class MessagesDelivery : public QObject {
    Q_OBJECT
public:
    // What every delivery shares; owned by the server, which outlives its deliveries.
    struct Services {
        LearnedState &learned;
        BackendRegistry &backends;
        BackendTransport &transport;
    };

    MessagesDelivery(IncomingRequest incoming, std::shared_ptr<const ProxyConfig> config, Services services,
                     QObject *parent = nullptr);
    ~MessagesDelivery() override;

    // Parses and plans the request, then sends the first attempt (or answers why it cannot).
    void start();

signals:
    void finished(const modelrelay::RequestRecord &record);
    void logMessage(modelrelay::LogLevel level, const QString &message);

private:
    const RouteCandidate &candidate() const { return m_plan.candidates.at(m_candidate); }
    void attempt();
    void send(Backend::Attempt attempt);
    void onOutcome(const ExchangeOutcome &outcome);
    void retryCapped(const BackendLimitParser::Limit &limit);
    void fallBack(const QString &reason);
    void answerError(const ApiError &error);
    void finish(const RequestRecord &record);

    IncomingRequest m_in; // m_in.record: the record as it stands before the current attempt
    std::shared_ptr<const ProxyConfig> m_config;
    Services m_services;
    MessageRequest m_request;
    RoutePlan m_plan;
    qsizetype m_candidate = 0; // the plan's candidate being tried
    int m_rawEstimate = 0;
    int m_askedMaxTokens = 0;  // what the current attempt asks for
    int m_cappedMaxTokens = 0; // after the backend refused max_tokens; 0 = none
    std::unique_ptr<MessagesExchange> m_exchange;
};

} // namespace modelrelay
