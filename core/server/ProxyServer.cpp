#include "ProxyServer.h"

#include "ClientAccess.h"
#include "MessagesExchange.h"
#include "OriginGuard.h"
#include "TokenizerProbe.h"
#include "anthropic/ApiError.h"
#include "anthropic/RequestParser.h"
#include "backends/BackendLimitParser.h"
#include "backends/BackendProtocol.h"
#include "backends/LearnedLimits.h"
#include "backends/RequestRouter.h"
#include "backends/ollama/OllamaContextPlanner.h"
#include "backends/openai/OpenAiRequestBuilder.h"
#include "tokens/TokenCalibration.h"
#include "tokens/TokenEstimator.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <algorithm>

namespace modelrelay {

namespace {
const QByteArray kJson = QByteArrayLiteral("application/json");

QString randomId(const QString &prefix) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id = prefix;
    id.reserve(prefix.size() + 24);
    for (int i = 0; i < 24; ++i)
        id.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]));
    return id;
}

QHostAddress hostAddress(const QString &host) {
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    return QHostAddress(host);
}

QString notMappedMessage(const QString &model) {
    return QStringLiteral(
               "ModelRelay has no backend model for '%1'. Map it in the model map (e.g. "
               "MODEL_MAP_JSON='{\"%1\":\"qwen2.5-coder:32b\"}' or a glob like \"claude-*\"), or set a "
               "default model (DEFAULT_MODEL=... or --default-model).")
        .arg(model);
}
} // namespace

struct ProxyServer::Incoming {
    QByteArray method;
    QString path;
    QByteArray body;
    std::unique_ptr<ResponseWriter> writer;
    QElapsedTimer clock;
    RequestRecord record;
    bool logged = true;
};

// One /v1/messages request on its way through the backends its route plan names.
struct ProxyServer::Delivery {
    Incoming in; // in.record is the record as it stands before the current attempt is sent
    MessageRequest request;
    RoutePlan plan;
    qsizetype candidate = 0; // the plan's candidate being tried
    int rawEstimate = 0;
    int cappedMaxTokens = 0;                          // after the backend refused max_tokens; 0 = none
    std::optional<BackendLimitParser::Limit> refusal; // why the current attempt is sent again
    QString fallbackReason;                           // why the next candidate is tried
};

ProxyServer::ProxyServer(QObject *parent)
    : QObject(parent)
    , m_pool(this) // a child, so it follows this object into the worker thread
    , m_ollamaModels(new OllamaModelCatalog(this)) {}

ProxyServer::~ProxyServer() {
    close();
}

bool ProxyServer::listen(const ProxyConfig &config, QString *error) {
    close();
    m_config = config;
    const QHostAddress address = hostAddress(config.host);
    if (address.isNull()) {
        *error = QStringLiteral("HOST '%1' is not an IP address (use 127.0.0.1, ::1 or localhost)")
                     .arg(config.host);
        return false;
    }
    auto http = std::make_unique<QHttpServer>();
    auto *tracker = new ConnectionTracker(http.get());
    if (!tracker->listen(address, config.port)) {
        if (tracker->serverError() == QAbstractSocket::AddressInUseError)
            *error =
                QStringLiteral("port %1 on %2 is already in use (another ModelRelay, or another program). "
                               "Choose another port (--port or PORT).")
                    .arg(config.port)
                    .arg(config.host);
        else
            *error = QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(config.host)
                         .arg(config.port)
                         .arg(tracker->errorString());
        return false;
    }
    HttpDispatcher::install(
        *http, tracker, this,
        [this](const QHttpServerRequest &request, std::unique_ptr<ResponseWriter> writer) {
            dispatch(request, std::move(writer));
        });
    HttpDispatcher::bind(*http, tracker);
    m_http = std::move(http);
    m_tracker = tracker;
    return true;
}

void ProxyServer::close() {
    // Exchanges are children of this object; deleting them aborts their backend requests.
    const auto exchanges = findChildren<MessagesExchange *>(Qt::FindDirectChildrenOnly);
    for (MessagesExchange *exchange : exchanges)
        delete exchange;
    m_tracker = nullptr;
    m_http.reset();
}

bool ProxyServer::isListening() const {
    return m_tracker && m_tracker->isListening();
}

quint16 ProxyServer::port() const {
    return m_tracker ? m_tracker->serverPort() : 0;
}

RequestRecord ProxyServer::newRecord(const QString &endpoint) {
    RequestRecord record;
    record.id = m_nextRequestId++;
    record.startedAt = QDateTime::currentDateTime();
    record.endpoint = endpoint;
    record.backendName = m_config.backend.name;
    return record;
}

void ProxyServer::dispatch(const QHttpServerRequest &request, std::unique_ptr<ResponseWriter> writer) {
    // Qt 6.4 reuses the request object for the connection's next request: copy what we need now.
    Incoming in;
    in.clock.start();
    in.writer = std::move(writer);
    in.path = request.url().path();
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
        in.method = "GET";
        break;
    case QHttpServerRequest::Method::Post:
        in.method = "POST";
        break;
    case QHttpServerRequest::Method::Head:
        in.method = "HEAD";
        break;
    default:
        in.method = "OTHER";
        break;
    }

    if (const auto refused =
            OriginGuard::check(request.value("Origin"), request.value("Host"), m_config.host)) {
        in.writer->sendComplete(refused->httpStatus(), kJson, refused->toJson());
        emit logMessage(LogLevel::Warn, refused->message);
        return;
    }

    // Claude Code probes the base URL (HEAD /, HEAD /api/hello) and may post telemetry: answer
    // cheaply and keep it out of the request log.
    if (in.method == "HEAD") {
        in.writer->sendHeadersOnly(in.path == QLatin1String("/") ? 200 : 204);
        return;
    }
    if (in.method == "POST" && in.path.startsWith(QLatin1String("/api/event_logging"))) {
        in.writer->sendHeadersOnly(204);
        return;
    }
    if (in.method == "GET" && (in.path == QLatin1String("/health") || in.path == QLatin1String("/"))) {
        handleHealth(in);
        return;
    }
    const bool messages = in.path == QLatin1String("/v1/messages");
    const bool countTokens = in.path == QLatin1String("/v1/messages/count_tokens");
    if (!messages && !countTokens) {
        in.writer->sendComplete(
            404, kJson,
            ApiError::notFound(QStringLiteral("ModelRelay has no route %1 %2 (it serves POST "
                                              "/v1/messages, POST /v1/messages/count_tokens and "
                                              "GET /health)")
                                   .arg(QString::fromLatin1(in.method), in.path))
                .toJson());
        return;
    }
    in.record = newRecord(messages ? QStringLiteral("messages") : QStringLiteral("count_tokens"));
    if (const auto refused = ClientAccess::checkToken(request.value("x-api-key"),
                                                      request.value("Authorization"), m_config.accessToken)) {
        answerError(in, *refused);
        return;
    }
    if (in.method != "POST") {
        answerError(in, ApiError::invalidRequest(QStringLiteral("%1 must be called with POST").arg(in.path)));
        return;
    }
    if (const auto refused = ClientAccess::checkContentType(request.value("Content-Type"))) {
        answerError(in, *refused);
        return;
    }
    in.body = request.body();
    if (in.body.size() > m_config.maxRequestBytes) {
        answerError(in, {ApiError::Type::RequestTooLarge,
                         QStringLiteral("request body of %1 MB is over ModelRelay's limit of %2 MB; raise "
                                        "it with MODELRELAY_MAX_REQUEST_MB (--max-request-mb) if you meant "
                                        "to send this much")
                             .arg(double(in.body.size()) / (1024 * 1024), 0, 'f', 1)
                             .arg(double(m_config.maxRequestBytes) / (1024 * 1024), 0, 'f', 1),
                         0});
        return;
    }
    RequestRecord::appendCapped(in.record.clientRequest, in.body);
    if (messages)
        handleMessages(in);
    else
        handleCountTokens(in);
}

void ProxyServer::answerError(Incoming &in, const ApiError &error) {
    in.record.status = error.httpStatus();
    in.record.error = error.message;
    in.record.durationMs = in.clock.elapsed();
    in.writer->sendComplete(error.httpStatus(), kJson, error.toJson());
    RequestRecord::appendCapped(in.record.response, error.toJson());
    emit requestFinished(in.record);
}

void ProxyServer::handleHealth(Incoming &in) {
    const QJsonObject backend{{QStringLiteral("name"), m_config.backend.name},
                              {QStringLiteral("kind"), backendKindName(m_config.backend.kind)},
                              {QStringLiteral("url"), m_config.backend.baseUrl.toString()}};
    const QJsonObject body{{QStringLiteral("status"), QStringLiteral("ok")},
                           {QStringLiteral("service"), QStringLiteral("ModelRelay")},
                           {QStringLiteral("version"), QStringLiteral(MODELRELAY_VERSION)},
                           {QStringLiteral("backend"), backend}};
    in.writer->sendComplete(200, kJson, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void ProxyServer::handleCountTokens(Incoming &in) {
    ParseOptions options;
    options.requireMaxTokens = false;
    options.keepBillingHeader = m_config.keepBillingHeader;
    auto parsed = RequestParser::parse(in.body, options);
    if (auto *error = std::get_if<ApiError>(&parsed)) {
        answerError(in, *error);
        return;
    }
    const MessageRequest &request = std::get<MessageRequest>(parsed);
    in.record.clientModel = request.model;
    const int rawEstimate = TokenEstimator::estimate(request);
    in.record.estimatedInputTokens = rawEstimate;
    in.record.tokenCountSource = QStringLiteral("estimate");
    // Count for the backend and model the same request to /v1/messages would go to: a routing rule
    // may send it to another profile than the active one.
    const RoutePlan plan = RequestRouter::plan(request, rawEstimate, m_config);
    const RouteCandidate *route = plan.candidates.isEmpty() ? nullptr : &plan.candidates.first();
    if (route) {
        const QString &model = route->target.backendModel;
        in.record.backendModel = model;
        in.record.route = plan.route;
        in.record.notes += plan.notes;
        in.record.estimatedInputTokens = calibration().calibrated(model, rawEstimate);
        if (const auto stats = calibration().stats(model)) {
            in.record.tokenCountSource = QStringLiteral("calibrated estimate");
            in.record.notes.append(
                QStringLiteral("estimate %1 tokens, calibrated to %2 for %3 (x%4 from %5 answers)")
                    .arg(rawEstimate)
                    .arg(in.record.estimatedInputTokens)
                    .arg(model)
                    .arg(stats->ratio, 0, 'f', 3)
                    .arg(stats->samples));
        }
    }
    auto answer = [this](Incoming &done) {
        done.record.status = 200;
        done.record.durationMs = done.clock.elapsed();
        const QJsonObject body{{QStringLiteral("input_tokens"), done.record.estimatedInputTokens}};
        done.record.response = QJsonDocument(body).toJson(QJsonDocument::Compact);
        done.writer->sendComplete(200, kJson, done.record.response);
        emit requestFinished(done.record);
    };
    if (!route || route->profile.kind != BackendKind::OpenAI) {
        answer(in);
        return;
    }
    // OpenAI-compatible servers may have their own tokenizer: ask it, within a short timeout.
    QStringList ignoredNotes;
    const BackendRequest chat =
        OpenAiRequestBuilder::build(request, route->target, route->profile, &ignoredNotes);
    const QJsonObject chatBody = QJsonDocument::fromJson(chat.body).object();
    const QUrl baseUrl = route->profile.baseUrl;
    const QString model = route->target.backendModel;
    auto pending = std::make_shared<Incoming>(std::move(in));
    if (!m_tokenizerProbe)
        m_tokenizerProbe = new TokenizerProbe(this);
    m_tokenizerProbe->count(
        baseUrl, chat.headers, chatBody,
        [this, pending, answer, rawEstimate, model](const TokenizerProbe::Result &result) {
            pending->record.notes.append(result.note);
            if (result.tokens) {
                pending->record.estimatedInputTokens = *result.tokens;
                pending->record.tokenCountSource = QStringLiteral("backend tokenizer");
                // The exact count is a free calibration sample for the estimate used elsewhere.
                calibration().observe(model, rawEstimate, *result.tokens);
            }
            answer(*pending);
        });
}

void ProxyServer::handleMessages(Incoming &in) {
    ParseOptions options;
    options.keepBillingHeader = m_config.keepBillingHeader;
    auto parsed = RequestParser::parse(in.body, options);
    if (auto *error = std::get_if<ApiError>(&parsed)) {
        answerError(in, *error);
        return;
    }
    MessageRequest &request = std::get<MessageRequest>(parsed);
    RequestRecord &record = in.record;
    record.clientModel = request.model;
    record.stream = request.stream;
    record.notes = request.notes;

    const int rawEstimate = TokenEstimator::estimate(request);
    RoutePlan plan = RequestRouter::plan(request, rawEstimate, m_config);
    if (plan.candidates.isEmpty()) {
        answerError(in, ApiError::notFound(notMappedMessage(request.model)));
        return;
    }
    record.route = plan.route;
    record.notes += plan.notes;
    auto delivery = std::make_shared<Delivery>();
    delivery->in = std::move(in);
    delivery->request = std::move(request);
    delivery->plan = std::move(plan);
    delivery->rawEstimate = rawEstimate;
    attempt(delivery);
}

void ProxyServer::attempt(const std::shared_ptr<Delivery> &delivery) {
    const RouteCandidate &candidate = delivery->plan.candidates.at(delivery->candidate);
    RequestRecord &record = delivery->in.record;
    ModelTarget target = candidate.target;
    record.backendName = candidate.profile.name;
    record.backendModel = target.backendModel;
    if (const int learned = learnedLimits().maxOutputTokens(target.backendModel);
        learned > 0 && (target.maxOutputTokens == 0 || learned < target.maxOutputTokens)) {
        target.maxOutputTokens = learned;
        if (delivery->request.maxTokens > learned)
            record.notes.append(QStringLiteral("max_tokens capped at %1, the limit %2 reported earlier")
                                    .arg(learned)
                                    .arg(target.backendModel));
    }
    if (delivery->cappedMaxTokens > 0)
        target.maxOutputTokens = delivery->cappedMaxTokens;
    record.estimatedInputTokens = calibration().calibrated(target.backendModel, delivery->rawEstimate);
    record.attempts.append(
        {candidate.profile.name, target.backendModel, QString(), delivery->in.clock.elapsed()});

    if (candidate.profile.kind != BackendKind::Ollama) {
        sendToBackend(delivery, target);
        return;
    }
    // Ollama: size num_ctx from what /api/show says about the model (asked once per model).
    const QUrl baseUrl = candidate.profile.baseUrl;
    m_ollamaModels->lookup(baseUrl, target.backendModel,
                           [this, delivery, target](const std::optional<OllamaModelInfo> &info) mutable {
                               planOllamaContext(*delivery, target, info ? info->contextLength : 0);
                               sendToBackend(delivery, target);
                           });
}

void ProxyServer::planOllamaContext(Delivery &delivery, ModelTarget &target, int modelContext) {
    const BackendProfile &profile = delivery.plan.candidates.at(delivery.candidate).profile;
    RequestRecord &record = delivery.in.record;
    OllamaContextPlanner::Input input;
    input.estimatedPromptTokens = record.estimatedInputTokens;
    input.maxOutputTokens = target.maxOutputTokens > 0
                                ? std::min(delivery.request.maxTokens, target.maxOutputTokens)
                                : delivery.request.maxTokens;
    input.ruleContext = target.contextSize;
    input.userCap = profile.ollamaContextSize;
    input.modelContext = modelContext;
    input.previous = m_ollamaModels->largestNumCtx(profile.baseUrl, target.backendModel);
    const OllamaContextPlanner::Plan plan = OllamaContextPlanner::plan(input);
    target.contextSize = plan.numCtx;
    m_ollamaModels->noteNumCtx(profile.baseUrl, target.backendModel, plan.numCtx);
    record.notes.append(
        QStringLiteral("num_ctx %1 (prompt ~%2 + answer up to %3 tokens; model context %4, cap %5)")
            .arg(plan.numCtx)
            .arg(input.estimatedPromptTokens)
            .arg(input.maxOutputTokens)
            .arg(modelContext > 0 ? QString::number(modelContext) : QStringLiteral("unknown"))
            .arg(input.ruleContext > 0 ? input.ruleContext : input.userCap));
    if (!plan.warning.isEmpty()) {
        const QString warning = plan.warning + QStringLiteral(" (%1)").arg(target.backendModel);
        record.notes.append(warning);
        record.warning = warning;
        emit logMessage(LogLevel::Warn, warning);
    }
}

TokenCalibration &ProxyServer::calibration() {
    // Loaded on first use; again when the configuration names another file (forgetting before the
    // first listen() must not leave learning in memory for the rest of the run).
    if (!m_calibration || m_learnedFile != m_config.learnedFile) {
        m_learnedLimits.reset();
        m_calibration.reset(); // saves what it had not saved, to its own file
        m_learnedFile = m_config.learnedFile;
        m_calibration = std::make_unique<TokenCalibration>(m_learnedFile);
        m_learnedLimits = std::make_unique<LearnedLimits>(m_learnedFile);
    }
    return *m_calibration;
}

void ProxyServer::forgetLearned(const QString &backendModel) {
    calibration().forget(backendModel);
    learnedLimits().forget(backendModel);
    m_ollamaModels->forget(backendModel);
    emit logMessage(LogLevel::Info,
                    backendModel.isEmpty()
                        ? QStringLiteral("forgot what was learned about every model")
                        : QStringLiteral("forgot what was learned about %1").arg(backendModel));
}

LearnedLimits &ProxyServer::learnedLimits() {
    calibration(); // loads both from the configured file
    return *m_learnedLimits;
}

LearnedModels ProxyServer::learnedModels() {
    const QHash<QString, TokenCalibration::Stats> &calibrated = calibration().models();
    const QHash<QString, int> &limits = learnedLimits().maxOutputTokensByModel();
    // Context windows of the backend in use: the ones the setup line and the view speak about.
    const QHash<QString, int> contexts = m_config.backend.kind == BackendKind::Ollama
                                             ? m_ollamaModels->knownContextLengths(m_config.backend.baseUrl)
                                             : QHash<QString, int>();
    QStringList names = calibrated.keys() + limits.keys() + contexts.keys();
    names.sort();
    names.removeDuplicates();
    LearnedModels models;
    for (const QString &name : std::as_const(names)) {
        LearnedModel model;
        model.model = name;
        if (const auto it = calibrated.constFind(name); it != calibrated.constEnd()) {
            model.samples = it->samples;
            model.ratio = it->ratio;
            model.meanAbsoluteError = it->meanAbsoluteError;
        }
        model.maxOutputTokens = limits.value(name, 0);
        model.contextLength = contexts.value(name, 0);
        models.append(model);
    }
    return models;
}

namespace {
// Worth another backend: it could not be reached, is overloaded or broke; a 4xx would recur.
bool isWorthFallingBack(int httpStatus) {
    return httpStatus == 0 || httpStatus == 429 || httpStatus >= 500;
}
} // namespace

void ProxyServer::sendToBackend(const std::shared_ptr<Delivery> &delivery, const ModelTarget &target) {
    const BackendProfile &profile = delivery->plan.candidates.at(delivery->candidate).profile;
    RequestRecord record = delivery->in.record;
    MessagesExchange::Setup setup;
    setup.call = BackendProtocol::prepare(delivery->request, target, profile, &record.notes);
    record.backendRequest.clear();
    RequestRecord::appendCapped(record.backendRequest, setup.call.request.body);
    setup.record = std::move(record);
    setup.context = {profile.kind, profile.baseUrl.toString(), target.backendModel};
    setup.messageId = randomId(QStringLiteral("msg_"));
    setup.firstByteTimeoutMs = m_config.backendTimeoutMs;
    setup.idleTimeoutMs = m_config.streamIdleTimeoutMs;
    setup.clock = delivery->in.clock;
    const int asked = target.maxOutputTokens > 0
                          ? std::min(delivery->request.maxTokens, target.maxOutputTokens)
                          : delivery->request.maxTokens;
    // Decided on the worker thread while the exchange still holds the client: send the request
    // again capped (a backend that refused max_tokens and said its limit, once), or to the next
    // candidate of the plan.
    setup.retryBeforeAnswer = [delivery, asked](int status, const QByteArray &body, const ApiError &error) {
        delivery->refusal.reset();
        delivery->fallbackReason.clear();
        if (delivery->cappedMaxTokens == 0 && status != 0)
            delivery->refusal = BackendLimitParser::fromRejection(status, body, asked);
        if (delivery->refusal)
            return true;
        if (isWorthFallingBack(status) && delivery->candidate + 1 < delivery->plan.candidates.size()) {
            delivery->fallbackReason =
                status != 0 ? QStringLiteral("HTTP %1: %2").arg(status).arg(error.message) : error.message;
            return true;
        }
        return false;
    };

    QNetworkAccessManager *network = m_pool.acquire();
    auto *exchange = new MessagesExchange(std::move(setup), std::move(delivery->in.writer), network, this);
    const int rawEstimate = delivery->rawEstimate;
    connect(exchange, &MessagesExchange::finished, this,
            [this, exchange, network, rawEstimate](const RequestRecord &r) {
                m_pool.release(network);
                exchange->deleteLater();
                if (r.inputTokens)
                    calibration().observe(r.backendModel, rawEstimate, *r.inputTokens);
                emit requestFinished(r);
            });
    connect(exchange, &MessagesExchange::retryRequested, this, [this, exchange, network, delivery, target] {
        m_pool.release(network);
        exchange->deleteLater();
        delivery->in.writer = exchange->takeWriter();
        if (delivery->refusal)
            retryCapped(delivery, target.backendModel);
        else
            fallBack(delivery);
    });
    exchange->start();
}

void ProxyServer::retryCapped(const std::shared_ptr<Delivery> &delivery, const QString &backendModel) {
    const BackendLimitParser::Limit limit = *delivery->refusal;
    RequestRecord &record = delivery->in.record;
    QString note = QStringLiteral("%1 refused max_tokens; sent again with max_tokens %2")
                       .arg(backendModel)
                       .arg(limit.maxOutputTokens);
    if (limit.perModel) {
        learnedLimits().learnMaxOutputTokens(backendModel, limit.maxOutputTokens);
        note += QStringLiteral(", its limit, remembered for later requests");
    }
    record.notes.append(note);
    record.attempts.last().outcome = QStringLiteral("refused max_tokens");
    emit logMessage(LogLevel::Info, note);
    delivery->cappedMaxTokens = limit.maxOutputTokens;
    attempt(delivery);
}

void ProxyServer::fallBack(const std::shared_ptr<Delivery> &delivery) {
    RequestRecord &record = delivery->in.record;
    const RouteCandidate &failed = delivery->plan.candidates.at(delivery->candidate);
    const RouteCandidate &next = delivery->plan.candidates.at(delivery->candidate + 1);
    record.attempts.last().outcome = delivery->fallbackReason;
    const QString note = QStringLiteral("%1 (%2) failed before answering, falling back to %3 (%4): %5")
                             .arg(failed.profile.name, failed.target.backendModel, next.profile.name,
                                  next.target.backendModel, delivery->fallbackReason);
    record.notes.append(note);
    emit logMessage(LogLevel::Warn, note);
    ++delivery->candidate;
    delivery->cappedMaxTokens = 0;
    attempt(delivery);
}

} // namespace modelrelay
