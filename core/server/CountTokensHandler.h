// POST /v1/messages/count_tokens: counts for the backend and model the same request to
// /v1/messages would go to, with that backend's own tokenizer when it has one, else with the
// estimate calibrated for the model.
#pragma once

#include "IncomingRequest.h"
#include "config/ProxyConfig.h"

#include <QObject>
#include <memory>

namespace modelrelay {

class BackendRegistry;
class LearnedState;

class CountTokensHandler : public QObject {
    Q_OBJECT
public:
    CountTokensHandler(LearnedState &learned, BackendRegistry &backends, QObject *parent = nullptr);

    // Answers the request (maybe later, after the backend's tokenizer), then emits finished().
    void handle(IncomingRequest incoming, const ProxyConfig &config);

signals:
    void finished(const modelrelay::RequestRecord &record);

private:
    void answer(IncomingRequest &incoming);

    LearnedState &m_learned;
    BackendRegistry &m_backends;
};

} // namespace modelrelay
