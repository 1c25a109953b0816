#include "ProxyServer.h"

#include "ClientAccess.h"
#include "MessagesExchange.h"
#include "OriginGuard.h"
#include "anthropic/ApiError.h"
#include "anthropic/RequestParser.h"
#include "backends/BackendLimitParser.h"
#include "backends/BackendProtocol.h"
#include "backends/LearnedLimits.h"
#include "backends/ollama/OllamaContextPlanner.h"
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

struct ProxyServer::PendingOllamaRequest {
    Incoming in;
    MessageRequest request;
    ModelTarget target;
    int rawEstimate = 0;
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
    if (const std::optional<ModelTarget> target = m_config.modelMap.resolve(request.model)) {
        in.record.backendModel = target->backendModel;
        in.record.estimatedInputTokens = calibration().calibrated(target->backendModel, rawEstimate);
        if (const auto stats = calibration().stats(target->backendModel))
            in.record.notes.append(
                QStringLiteral("estimate %1 tokens, calibrated to %2 for %3 (x%4 from %5 answers)")
                    .arg(rawEstimate)
                    .arg(in.record.estimatedInputTokens)
                    .arg(target->backendModel)
                    .arg(stats->ratio, 0, 'f', 3)
                    .arg(stats->samples));
    }
    in.record.status = 200;
    in.record.durationMs = in.clock.elapsed();
    const QJsonObject body{{QStringLiteral("input_tokens"), in.record.estimatedInputTokens}};
    in.record.response = QJsonDocument(body).toJson(QJsonDocument::Compact);
    in.writer->sendComplete(200, kJson, in.record.response);
    emit requestFinished(in.record);
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

    ModelMap map = m_config.modelMap;
    if (map.defaultMaxOutputTokens == 0)
        map.defaultMaxOutputTokens = m_config.backend.maxOutputTokens;
    std::optional<ModelTarget> target = map.resolve(request.model);
    if (!target) {
        answerError(in, ApiError::notFound(notMappedMessage(request.model)));
        return;
    }
    record.backendModel = target->backendModel;
    if (const int learned = learnedLimits().maxOutputTokens(target->backendModel);
        learned > 0 && (target->maxOutputTokens == 0 || learned < target->maxOutputTokens)) {
        target->maxOutputTokens = learned;
        if (request.maxTokens > learned)
            record.notes.append(QStringLiteral("max_tokens capped at %1, the limit %2 reported earlier")
                                    .arg(learned)
                                    .arg(target->backendModel));
    }
    const int rawEstimate = TokenEstimator::estimate(request);
    record.estimatedInputTokens = calibration().calibrated(target->backendModel, rawEstimate);

    if (m_config.backend.kind != BackendKind::Ollama) {
        sendToBackend(in, request, *target, rawEstimate);
        return;
    }
    // Ollama: size num_ctx from what /api/show says about the model (asked once per model).
    auto pending = std::make_shared<PendingOllamaRequest>(
        PendingOllamaRequest{std::move(in), std::move(request), *target, rawEstimate});
    const QUrl baseUrl = m_config.backend.baseUrl;
    m_ollamaModels->lookup(
        baseUrl, target->backendModel, [this, pending, baseUrl](const std::optional<OllamaModelInfo> &info) {
            planOllamaContext(*pending, info ? info->contextLength : 0);
            sendToBackend(pending->in, pending->request, pending->target, pending->rawEstimate);
        });
}

void ProxyServer::planOllamaContext(PendingOllamaRequest &pending, int modelContext) {
    const QUrl &baseUrl = m_config.backend.baseUrl;
    ModelTarget &target = pending.target;
    OllamaContextPlanner::Input input;
    input.estimatedPromptTokens = pending.in.record.estimatedInputTokens;
    input.maxOutputTokens = target.maxOutputTokens > 0
                                ? std::min(pending.request.maxTokens, target.maxOutputTokens)
                                : pending.request.maxTokens;
    input.ruleContext = target.contextSize;
    input.userCap = m_config.backend.ollamaContextSize;
    input.modelContext = modelContext;
    input.previous = m_ollamaModels->largestNumCtx(baseUrl, target.backendModel);
    const OllamaContextPlanner::Plan plan = OllamaContextPlanner::plan(input);
    target.contextSize = plan.numCtx;
    m_ollamaModels->noteNumCtx(baseUrl, target.backendModel, plan.numCtx);
    pending.in.record.notes.append(
        QStringLiteral("num_ctx %1 (prompt ~%2 + answer up to %3 tokens; model context %4, cap %5)")
            .arg(plan.numCtx)
            .arg(input.estimatedPromptTokens)
            .arg(input.maxOutputTokens)
            .arg(modelContext > 0 ? QString::number(modelContext) : QStringLiteral("unknown"))
            .arg(input.ruleContext > 0 ? input.ruleContext : input.userCap));
    if (!plan.warning.isEmpty()) {
        const QString warning = plan.warning + QStringLiteral(" (%1)").arg(target.backendModel);
        pending.in.record.notes.append(warning);
        pending.in.record.warning = warning;
        emit logMessage(LogLevel::Warn, warning);
    }
}

TokenCalibration &ProxyServer::calibration() {
    if (!m_calibration)
        m_calibration = std::make_unique<TokenCalibration>(m_config.learnedFile);
    return *m_calibration;
}

LearnedLimits &ProxyServer::learnedLimits() {
    if (!m_learnedLimits)
        m_learnedLimits = std::make_unique<LearnedLimits>(m_config.learnedFile);
    return *m_learnedLimits;
}

void ProxyServer::sendToBackend(Incoming &in, const MessageRequest &request, const ModelTarget &target,
                                int rawEstimate, bool isRetry) {
    RequestRecord &record = in.record;
    const RequestRecord recordBeforeSending = record;
    MessagesExchange::Setup setup;
    setup.call = BackendProtocol::prepare(request, target, m_config.backend, &record.notes);
    RequestRecord::appendCapped(record.backendRequest, setup.call.request.body);
    setup.record = record;
    setup.context = {m_config.backend.kind, m_config.backend.baseUrl.toString(), target.backendModel};
    setup.messageId = randomId(QStringLiteral("msg_"));
    setup.firstByteTimeoutMs = m_config.backendTimeoutMs;
    setup.idleTimeoutMs = m_config.streamIdleTimeoutMs;
    setup.clock = in.clock;
    // A backend that refuses max_tokens and says its limit gets the request once more, capped.
    auto refusalLimit = std::make_shared<std::optional<BackendLimitParser::Limit>>();
    if (!isRetry) {
        const int asked = target.maxOutputTokens > 0 ? std::min(request.maxTokens, target.maxOutputTokens)
                                                     : request.maxTokens;
        setup.retryRefusal = [refusalLimit, asked](int status, const QByteArray &body) {
            *refusalLimit = BackendLimitParser::fromRejection(status, body, asked);
            return refusalLimit->has_value();
        };
    }

    QNetworkAccessManager *network = m_pool.acquire();
    auto *exchange = new MessagesExchange(std::move(setup), std::move(in.writer), network, this);
    connect(exchange, &MessagesExchange::finished, this,
            [this, exchange, network, rawEstimate](const RequestRecord &r) {
                m_pool.release(network);
                exchange->deleteLater();
                if (r.inputTokens)
                    calibration().observe(r.backendModel, rawEstimate, *r.inputTokens);
                emit requestFinished(r);
            });
    connect(exchange, &MessagesExchange::retryRequested, this,
            [this, exchange, network, refusalLimit, recordBeforeSending, request, target, rawEstimate,
             clock = in.clock] {
                m_pool.release(network);
                exchange->deleteLater();
                const BackendLimitParser::Limit limit = **refusalLimit;
                Incoming again;
                again.writer = exchange->takeWriter();
                again.clock = clock;
                again.record = recordBeforeSending;
                again.record.backendRequest.clear();
                QString note = QStringLiteral("%1 refused max_tokens; sent again with max_tokens %2")
                                   .arg(target.backendModel)
                                   .arg(limit.maxOutputTokens);
                if (limit.perModel) {
                    learnedLimits().learnMaxOutputTokens(target.backendModel, limit.maxOutputTokens);
                    note += QStringLiteral(", its limit, remembered for later requests");
                }
                again.record.notes.append(note);
                emit logMessage(LogLevel::Info, note);
                ModelTarget capped = target;
                capped.maxOutputTokens = limit.maxOutputTokens;
                sendToBackend(again, request, capped, rawEstimate, true);
            });
    exchange->start();
}

} // namespace modelrelay
