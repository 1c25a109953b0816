#include "CountTokensHandler.h"

#include "LearnedState.h"
#include "anthropic/ApiError.h"
#include "anthropic/RequestParser.h"
#include "backends/BackendRegistry.h"
#include "backends/RequestRouter.h"
#include "tokens/TokenCalibration.h"
#include "tokens/TokenEstimator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace modelrelay {

CountTokensHandler::CountTokensHandler(LearnedState &learned, BackendRegistry &backends, QObject *parent)
    : QObject(parent)
    , m_learned(learned)
    , m_backends(backends) {}

void CountTokensHandler::handle(IncomingRequest in, const ProxyConfig &config) {
    ParseOptions options;
    options.requireMaxTokens = false;
    options.keepBillingHeader = config.keepBillingHeader;
    auto parsed = RequestParser::parse(in.body, options);
    if (auto *error = std::get_if<ApiError>(&parsed)) {
        in.answerError(*error);
        emit finished(in.record);
        return;
    }
    const MessageRequest &request = std::get<MessageRequest>(parsed);
    RequestRecord &record = in.record;
    record.clientModel = request.model;
    const int rawEstimate = TokenEstimator::estimate(request);
    record.estimatedInputTokens = rawEstimate;
    record.tokenCountSource = QStringLiteral("estimate");
    // A routing rule may send the request to another profile than the active one.
    const RoutePlan plan = RequestRouter::plan(request, rawEstimate, config);
    if (plan.candidates.isEmpty()) {
        answer(in);
        return;
    }
    const RouteCandidate &route = plan.candidates.first();
    const QString model = route.target.backendModel;
    TokenCalibration &calibration = m_learned.calibration();
    record.backendModel = model;
    record.route = plan.route;
    record.notes += plan.notes;
    record.estimatedInputTokens = calibration.calibrated(model, rawEstimate);
    if (const auto stats = calibration.stats(model)) {
        record.tokenCountSource = QStringLiteral("calibrated estimate");
        record.notes.append(
            QStringLiteral("estimate %1 tokens, calibrated to %2 for %3 (x%4 from %5 answers)")
                .arg(rawEstimate)
                .arg(record.estimatedInputTokens)
                .arg(model)
                .arg(stats->ratio, 0, 'f', 3)
                .arg(stats->samples));
    }
    auto pending = std::make_shared<IncomingRequest>(std::move(in));
    QPointer<CountTokensHandler> alive(this);
    m_backends.forKind(route.profile.kind)
        .countTokens(request, route.target, route.profile,
                     [this, alive, pending, rawEstimate, model](const Backend::TokenCount &count) {
                         if (!alive)
                             return;
                         if (!count.note.isEmpty())
                             pending->record.notes.append(count.note);
                         if (count.tokens) {
                             pending->record.estimatedInputTokens = *count.tokens;
                             pending->record.tokenCountSource = QStringLiteral("backend tokenizer");
                             // The exact count is a free calibration sample for the estimate.
                             m_learned.calibration().observe(model, rawEstimate, *count.tokens);
                         }
                         answer(*pending);
                     });
}

void CountTokensHandler::answer(IncomingRequest &in) {
    in.record.status = 200;
    in.record.durationMs = in.clock.elapsed();
    const QJsonObject body{{QStringLiteral("input_tokens"), in.record.estimatedInputTokens}};
    in.record.response = QJsonDocument(body).toJson(QJsonDocument::Compact);
    in.writer->sendComplete(200, QByteArrayLiteral("application/json"), in.record.response);
    emit finished(in.record);
}

} // namespace modelrelay
