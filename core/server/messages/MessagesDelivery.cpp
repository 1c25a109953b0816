#include "MessagesDelivery.h"

#include "MessagesExchange.h"
#include "anthropic/ApiError.h"
#include "anthropic/RequestParser.h"
#include "backends/BackendRegistry.h"
#include "backends/LearnedLimits.h"
#include "server/ClientAccess.h"
#include "server/LearnedState.h"
#include "tokens/TokenCalibration.h"
#include "tokens/TokenEstimator.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QUrlQuery>
#include <algorithm>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
QString randomId(const QString &prefix) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id = prefix;
    id.reserve(prefix.size() + 24);
    for (int i = 0; i < 24; ++i)
        id.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]));
    return id;
}

QString notMappedMessage(const QString &model) {
    return QStringLiteral(
               "ModelRelay has no backend model for '%1'. Map it in the model map (e.g. "
               "MODEL_MAP_JSON='{\"%1\":\"qwen2.5-coder:32b\"}' or a glob like \"claude-*\"), or set a "
               "default model (DEFAULT_MODEL=... or --default-model).")
        .arg(model);
}

// Worth another backend: it could not be reached, is overloaded or broke; a 4xx would recur.
bool isWorthFallingBack(int httpStatus) {
    return httpStatus == 0 || httpStatus == 429 || httpStatus >= 500;
}
} // namespace

MessagesDelivery::MessagesDelivery(IncomingRequest incoming, std::shared_ptr<const ProxyConfig> config,
                                   Services services, QObject *parent)
    : QObject(parent)
    , m_in(std::move(incoming))
    , m_config(std::move(config))
    , m_services(services) {}

MessagesDelivery::~MessagesDelivery() {
    m_exchange.reset(); // aborts its backend request
}

void MessagesDelivery::start() {
    ParseOptions options;
    options.keepBillingHeader = m_config->keepBillingHeader;
    auto parsed = RequestParser::parse(m_in.body, options);
    if (auto *error = std::get_if<ApiError>(&parsed)) {
        answerError(*error);
        return;
    }
    m_request = std::move(std::get<MessageRequest>(parsed));
    m_request.betaEndpoint = QUrlQuery(m_in.query).queryItemValue(u"beta"_s) == "true"_L1;
    RequestRecord &record = m_in.record;
    record.clientModel = m_request.model;
    record.stream = m_request.stream;
    record.notes = m_request.notes;

    m_rawEstimate = TokenEstimator::estimate(m_request);
    m_plan = RequestRouter::plan(m_request, m_rawEstimate, *m_config);
    if (m_plan.candidates.isEmpty()) {
        answerError(ApiError::notFound(notMappedMessage(m_request.model)));
        return;
    }
    record.route = m_plan.route;
    record.notes += m_plan.notes;
    attempt();
}

void MessagesDelivery::attempt() {
    const RouteCandidate &next = candidate();
    RequestRecord &record = m_in.record;
    Backend::Attempt attempt;
    attempt.target = next.target;
    record.backendName = next.profile.name;
    record.backendModel = attempt.target.backendModel;
    const int learned = m_services.learned.limits().maxOutputTokens(attempt.target.backendModel);
    if (learned > 0 && (attempt.target.maxOutputTokens == 0 || learned < attempt.target.maxOutputTokens)) {
        attempt.target.maxOutputTokens = learned;
        if (m_request.maxTokens > learned)
            record.notes.append(QStringLiteral("max_tokens capped at %1, the limit %2 reported earlier")
                                    .arg(learned)
                                    .arg(attempt.target.backendModel));
    }
    if (m_cappedMaxTokens > 0)
        attempt.target.maxOutputTokens = m_cappedMaxTokens;
    attempt.maxOutputTokens = attempt.target.maxOutputTokens > 0
                                  ? std::min(m_request.maxTokens, attempt.target.maxOutputTokens)
                                  : m_request.maxTokens;
    attempt.estimatedInputTokens =
        m_services.learned.calibration().calibrated(attempt.target.backendModel, m_rawEstimate);
    record.estimatedInputTokens = attempt.estimatedInputTokens;
    record.attempts.append({next.profile.name, attempt.target.backendModel, QString(), m_in.clock.elapsed()});

    QPointer<MessagesDelivery> alive(this);
    m_services.backends.forKind(next.profile.kind)
        .preflight(next.profile, std::move(attempt), [alive](Backend::Attempt ready) {
            if (alive)
                alive->send(std::move(ready));
        });
}

void MessagesDelivery::send(Backend::Attempt attempt) {
    const BackendProfile &profile = candidate().profile;
    m_in.record.notes += attempt.notes;
    if (!attempt.warning.isEmpty()) {
        m_in.record.warning = attempt.warning;
        emit logMessage(LogLevel::Warn, attempt.warning);
    }
    m_askedMaxTokens = attempt.maxOutputTokens;

    MessagesExchange::Setup setup;
    setup.record = m_in.record;
    setup.call = m_services.backends.forKind(profile.kind)
                     .prepare(m_request, attempt.target, profile,
                              ClientAccess::withoutAccessToken(m_in.headers, m_config->accessToken),
                              &setup.record.notes);
    setup.record.backendRequest.clear();
    RequestRecord::appendCapped(setup.record.backendRequest, setup.call.request.body);
    setup.context = {profile.kind, profile.shownUrl(), attempt.target.backendModel};
    setup.message = {randomId(QStringLiteral("msg_")), m_request.model, attempt.estimatedInputTokens};
    setup.stream = m_request.stream;
    setup.firstByteTimeoutMs = m_config->backendTimeoutMs;
    setup.idleTimeoutMs = m_config->streamIdleTimeoutMs;
    setup.clock = m_in.clock;

    m_exchange = std::make_unique<MessagesExchange>(std::move(setup), *m_in.writer, m_services.transport);
    connect(m_exchange.get(), &MessagesExchange::finished, this, &MessagesDelivery::onOutcome);
    m_exchange->start();
}

void MessagesDelivery::onOutcome(const ExchangeOutcome &outcome) {
    // The exchange is still emitting: delete it once it has returned.
    m_exchange.release()->deleteLater();

    if (outcome.kind != ExchangeOutcome::Kind::NotAnswered) {
        if (outcome.record.inputTokens)
            m_services.learned.calibration().observe(outcome.record.backendModel, m_rawEstimate,
                                                     *outcome.record.inputTokens);
        finish(outcome.record);
        return;
    }
    if (m_cappedMaxTokens == 0 && outcome.backendStatus != 0) {
        if (const auto limit = BackendLimitParser::fromRejection(
                outcome.backendStatus, outcome.backendErrorBody, m_askedMaxTokens)) {
            retryCapped(*limit);
            return;
        }
    }
    if (isWorthFallingBack(outcome.backendStatus) && m_candidate + 1 < m_plan.candidates.size()) {
        fallBack(outcome.backendStatus != 0
                     ? QStringLiteral("HTTP %1: %2").arg(outcome.backendStatus).arg(outcome.error.message)
                     : outcome.error.message);
        return;
    }
    m_in.record = outcome.record;
    answerError(outcome.error);
}

void MessagesDelivery::retryCapped(const BackendLimitParser::Limit &limit) {
    RequestRecord &record = m_in.record;
    QString note = QStringLiteral("%1 refused max_tokens; sent again with max_tokens %2")
                       .arg(record.backendModel)
                       .arg(limit.maxOutputTokens);
    if (limit.perModel) {
        m_services.learned.limits().learnMaxOutputTokens(record.backendModel, limit.maxOutputTokens);
        note += QStringLiteral(", its limit, remembered for later requests");
    }
    record.notes.append(note);
    record.attempts.last().outcome = QStringLiteral("refused max_tokens");
    emit logMessage(LogLevel::Info, note);
    m_cappedMaxTokens = limit.maxOutputTokens;
    attempt();
}

void MessagesDelivery::fallBack(const QString &reason) {
    RequestRecord &record = m_in.record;
    const RouteCandidate &failed = candidate();
    const RouteCandidate &next = m_plan.candidates.at(m_candidate + 1);
    record.attempts.last().outcome = reason;
    const QString note = QStringLiteral("%1 (%2) failed before answering, falling back to %3 (%4): %5")
                             .arg(failed.profile.name, record.backendModel, next.profile.name,
                                  next.target.backendModel, reason);
    record.notes.append(note);
    emit logMessage(LogLevel::Warn, note);
    ++m_candidate;
    m_cappedMaxTokens = 0;
    attempt();
}

void MessagesDelivery::answerError(const ApiError &error) {
    m_in.answerError(error);
    finish(m_in.record);
}

void MessagesDelivery::finish(const RequestRecord &record) {
    emit finished(record);
    deleteLater();
}

} // namespace modelrelay
