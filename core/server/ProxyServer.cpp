#include "ProxyServer.h"

#include "ClientAccess.h"
#include "CountTokensHandler.h"
#include "IncomingRequest.h"
#include "LearnedState.h"
#include "OriginGuard.h"
#include "anthropic/ApiError.h"
#include "backends/BackendRegistry.h"
#include "messages/MessagesDelivery.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

namespace {
const QByteArray kJson = QByteArrayLiteral("application/json");

QHostAddress hostAddress(const QString &host) {
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    return QHostAddress(host);
}

QByteArray methodName(QHttpServerRequest::Method method) {
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    default:
        return "OTHER";
    }
}
} // namespace

ProxyServer::ProxyServer(QObject *parent)
    : QObject(parent)
    , m_config(std::make_shared<const ProxyConfig>())
    , m_pool(this) // a child, so it follows this object into the worker thread
    , m_learned(new LearnedState(this))
    , m_backends(new BackendRegistry(m_learned->ollamaModels(), this))
    , m_countTokens(new CountTokensHandler(*m_learned, *m_backends, this)) {
    connect(m_countTokens, &CountTokensHandler::finished, this, &ProxyServer::requestFinished);
}

ProxyServer::~ProxyServer() {
    close();
}

void ProxyServer::setConfig(const ProxyConfig &config) {
    m_config = std::make_shared<const ProxyConfig>(config);
    m_learned->useFile(config.learnedFile);
}

bool ProxyServer::listen(const ProxyConfig &config, QString *error) {
    close();
    setConfig(config);
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
    // Deleting a delivery aborts its backend request.
    qDeleteAll(findChildren<MessagesDelivery *>(Qt::FindDirectChildrenOnly));
    m_tracker = nullptr;
    m_http.reset();
}

bool ProxyServer::isListening() const {
    return m_tracker && m_tracker->isListening();
}

quint16 ProxyServer::port() const {
    return m_tracker ? m_tracker->serverPort() : 0;
}

void ProxyServer::forgetLearned(const QString &backendModel) {
    m_learned->forget(backendModel);
    emit logMessage(LogLevel::Info,
                    backendModel.isEmpty()
                        ? QStringLiteral("forgot what was learned about every model")
                        : QStringLiteral("forgot what was learned about %1").arg(backendModel));
}

LearnedModels ProxyServer::learnedModels() {
    return m_learned->snapshot(m_config->backend.baseUrl);
}

RequestRecord ProxyServer::newRecord(const QString &endpoint) {
    RequestRecord record;
    record.id = m_nextRequestId++;
    record.startedAt = QDateTime::currentDateTime();
    record.endpoint = endpoint;
    record.backendName = m_config->backend.name;
    return record;
}

void ProxyServer::dispatch(const QHttpServerRequest &request, std::unique_ptr<ResponseWriter> writer) {
    const ProxyConfig &config = *m_config;
    // Qt 6.4 reuses the request object for the connection's next request: copy what we need now.
    IncomingRequest in;
    in.clock.start();
    in.writer = std::move(writer);
    in.path = request.url().path();
    in.method = methodName(request.method());
    in.headers = HttpDispatcher::headers(request);

    if (const auto refused =
            OriginGuard::check(request.value("Origin"), request.value("Host"), config.host)) {
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
        answerHealth(in);
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
    auto refuse = [&](const ApiError &error) {
        in.answerError(error);
        emit requestFinished(in.record);
    };
    if (const auto refused = ClientAccess::checkToken(request.value("x-api-key"),
                                                      request.value("Authorization"), config.accessToken)) {
        refuse(*refused);
        return;
    }
    if (in.method != "POST") {
        refuse(ApiError::invalidRequest(QStringLiteral("%1 must be called with POST").arg(in.path)));
        return;
    }
    if (const auto refused = ClientAccess::checkContentType(request.value("Content-Type"))) {
        refuse(*refused);
        return;
    }
    in.body = request.body();
    if (in.body.size() > config.maxRequestBytes) {
        refuse({ApiError::Type::RequestTooLarge,
                QStringLiteral("request body of %1 MB is over ModelRelay's limit of %2 MB; raise "
                               "it with MODELRELAY_MAX_REQUEST_MB (--max-request-mb) if you meant "
                               "to send this much")
                    .arg(double(in.body.size()) / (1024 * 1024), 0, 'f', 1)
                    .arg(double(config.maxRequestBytes) / (1024 * 1024), 0, 'f', 1),
                0});
        return;
    }
    RequestRecord::appendCapped(in.record.clientRequest, in.body);
    if (messages)
        deliverMessages(std::move(in));
    else
        m_countTokens->handle(std::move(in), config);
}

void ProxyServer::answerHealth(IncomingRequest &in) {
    const ProxyConfig &config = *m_config;
    const QJsonObject backend{{QStringLiteral("name"), config.backend.name},
                              {QStringLiteral("kind"), backendKindName(config.backend.kind)},
                              {QStringLiteral("url"), config.backend.baseUrl.toString()}};
    const QJsonObject body{{QStringLiteral("status"), QStringLiteral("ok")},
                           {QStringLiteral("service"), QStringLiteral("ModelRelay")},
                           {QStringLiteral("version"), QStringLiteral(MODELRELAY_VERSION)},
                           {QStringLiteral("backend"), backend}};
    in.writer->sendComplete(200, kJson, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void ProxyServer::deliverMessages(IncomingRequest incoming) {
    auto *delivery =
        new MessagesDelivery(std::move(incoming), m_config, {*m_learned, *m_backends, m_pool}, this);
    connect(delivery, &MessagesDelivery::finished, this, &ProxyServer::requestFinished);
    connect(delivery, &MessagesDelivery::logMessage, this, &ProxyServer::logMessage);
    delivery->start();
}

} // namespace modelrelay
