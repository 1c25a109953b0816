#include "ProxyServer.h"

#include "MessagesExchange.h"
#include "OriginGuard.h"
#include "anthropic/ApiError.h"
#include "anthropic/RequestParser.h"
#include "backends/BackendProtocol.h"
#include "tokens/TokenEstimator.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

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

ProxyServer::ProxyServer(QObject *parent)
    : QObject(parent)
    , m_pool(this) // a child, so it follows this object into the worker thread
{}

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
    if (in.method != "POST") {
        answerError(in, ApiError::invalidRequest(QStringLiteral("%1 must be called with POST").arg(in.path)));
        return;
    }
    in.body = request.body();
    if (in.body.size() > m_config.maxRequestBytes) {
        answerError(in, {ApiError::Type::RequestTooLarge,
                         QStringLiteral("request body of %1 bytes is over ModelRelay's limit of %2 bytes")
                             .arg(in.body.size())
                             .arg(m_config.maxRequestBytes),
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
    in.record.estimatedInputTokens = TokenEstimator::estimate(request);
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
    if (map.defaultContextSize == 0 && m_config.backend.kind == BackendKind::Ollama)
        map.defaultContextSize = m_config.backend.ollamaContextSize;
    const std::optional<ModelTarget> target = map.resolve(request.model);
    if (!target) {
        answerError(in, ApiError::notFound(notMappedMessage(request.model)));
        return;
    }
    record.backendModel = target->backendModel;
    record.estimatedInputTokens = TokenEstimator::estimate(request);
    if (m_config.backend.kind == BackendKind::Ollama && target->contextSize > 0 &&
        record.estimatedInputTokens > target->contextSize) {
        const QString warning =
            QStringLiteral("prompt of ~%1 tokens exceeds num_ctx %2 for %3: Ollama will cut it; "
                           "raise the model's context size")
                .arg(record.estimatedInputTokens)
                .arg(target->contextSize)
                .arg(target->backendModel);
        record.notes.append(warning);
        emit logMessage(LogLevel::Warn, warning);
    }

    MessagesExchange::Setup setup;
    setup.call = BackendProtocol::prepare(request, *target, m_config.backend, &record.notes);
    RequestRecord::appendCapped(record.backendRequest, setup.call.request.body);
    setup.record = record;
    setup.context = {m_config.backend.kind, m_config.backend.baseUrl.toString(), target->backendModel};
    setup.messageId = randomId(QStringLiteral("msg_"));
    setup.firstByteTimeoutMs = m_config.backendTimeoutMs;
    setup.idleTimeoutMs = m_config.streamIdleTimeoutMs;
    setup.clock = in.clock;

    QNetworkAccessManager *network = m_pool.acquire();
    auto *exchange = new MessagesExchange(std::move(setup), std::move(in.writer), network, this);
    connect(exchange, &MessagesExchange::finished, this, [this, exchange, network](const RequestRecord &r) {
        m_pool.release(network);
        exchange->deleteLater();
        emit requestFinished(r);
    });
    exchange->start();
}

} // namespace modelrelay
