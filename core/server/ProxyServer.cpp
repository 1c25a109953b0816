#include "ProxyServer.h"

#include "ClientAccess.h"
#include "CountTokensHandler.h"
#include "IncomingRequest.h"
#include "LearnedState.h"
#include "OriginGuard.h"
#include "anthropic/ApiError.h"
#include "backends/BackendRegistry.h"
#include "http/DescriptorLimit.h"
#include "http/FrontDoor.h"
#include "http/ResponseWriter.h"
#include "messages/MessagesDelivery.h"
#include "transport/TransportSelector.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

namespace {
const QByteArray kJson = QByteArrayLiteral("application/json");
constexpr qint64 kMaxTelemetryBytes = 1024 * 1024;
// Descriptors kept for what is not a client connection: backend connections are counted with
// their clients, these are for files, the event loop, the listening socket.
constexpr long kReservedDescriptors = 64;

QHostAddress hostAddress(const QString &host) {
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    return QHostAddress(host);
}

HttpLimits limitsFor(const ProxyConfig &config) {
    HttpLimits limits;
    limits.maxConnections = config.maxConnections;
    // Each relayed request holds two descriptors: the client's and the backend's.
    if (const long descriptors = DescriptorLimit::raiseSoftLimit(); descriptors > 0)
        limits.maxConnections =
            int(qMin<long>(limits.maxConnections, qMax<long>(8, (descriptors - kReservedDescriptors) / 2)));
    limits.headerTimeoutMs = config.clientHeaderTimeoutMs;
    limits.keepAliveTimeoutMs = config.clientIdleTimeoutMs;
    limits.bodyIdleTimeoutMs = config.clientIdleTimeoutMs;
    return limits;
}
} // namespace

ProxyServer::ProxyServer(QObject *parent)
    : QObject(parent)
    , m_config(std::make_shared<const ProxyConfig>())
    , m_transport(new TransportSelector(this))
    , m_learned(new LearnedState(*m_transport, this))
    , m_backends(new BackendRegistry(m_learned->ollamaModels(), *m_transport, this))
    , m_countTokens(new CountTokensHandler(*m_learned, *m_backends, this)) {
    connect(m_countTokens, &CountTokensHandler::finished, this, &ProxyServer::requestFinished);
}

ProxyServer::~ProxyServer() {
    close();
}

void ProxyServer::setConfig(const ProxyConfig &config) {
    m_config = std::make_shared<const ProxyConfig>(config);
    m_learned->useFile(config.learnedFile);
    if (m_frontDoor)
        m_frontDoor->setLimits(limitsFor(config));
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
    auto *frontDoor = new FrontDoor(*this, limitsFor(config), this);
    if (!frontDoor->listen(address, config.port)) {
        if (frontDoor->serverError() == QAbstractSocket::AddressInUseError)
            *error =
                QStringLiteral("port %1 on %2 is already in use (another ModelRelay, or another program). "
                               "Choose another port (--port or PORT).")
                    .arg(config.port)
                    .arg(config.host);
        else
            *error = QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(config.host)
                         .arg(config.port)
                         .arg(frontDoor->errorString());
        delete frontDoor;
        return false;
    }
    connect(frontDoor, &FrontDoor::logMessage, this, &ProxyServer::logMessage);
    m_frontDoor = frontDoor;
    return true;
}

void ProxyServer::close() {
    // Deleting a delivery aborts its backend request.
    qDeleteAll(findChildren<MessagesDelivery *>(Qt::FindDirectChildrenOnly));
    delete m_frontDoor;
    m_frontDoor = nullptr;
}

bool ProxyServer::isListening() const {
    return m_frontDoor && m_frontDoor->isListening();
}

quint16 ProxyServer::port() const {
    return m_frontDoor ? m_frontDoor->serverPort() : 0;
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

ProxyServer::Route ProxyServer::routeOf(const HttpRequestHead &head) {
    // Claude Code probes the base URL (HEAD /, HEAD /api/hello) and may post telemetry: answered
    // cheaply and kept out of the request log.
    if (head.method == "HEAD")
        return Route::Probe;
    if (head.method == "POST" && head.path.startsWith(QLatin1String("/api/event_logging")))
        return Route::Telemetry;
    if (head.method == "GET" && (head.path == QLatin1String("/health") || head.path == QLatin1String("/")))
        return Route::Health;
    if (head.path == QLatin1String("/v1/messages"))
        return Route::Messages;
    if (head.path == QLatin1String("/v1/messages/count_tokens"))
        return Route::CountTokens;
    return Route::NotFound;
}

RequestRecord ProxyServer::newRecord(Route route) {
    RequestRecord record;
    record.id = m_nextRequestId++;
    record.startedAt = QDateTime::currentDateTime();
    record.endpoint = route == Route::Messages ? QStringLiteral("messages") : QStringLiteral("count_tokens");
    record.backendName = m_config->backend.name;
    return record;
}

HttpRequestHandler::Admission ProxyServer::admit(const HttpRequestHead &head, const QElapsedTimer &clock) {
    const ProxyConfig &config = *m_config;
    if (const auto refused = OriginGuard::check(head.header("Origin"), head.header("Host"), config.host)) {
        emit logMessage(LogLevel::Warn, refused->message);
        return {refused, 0};
    }
    const Route route = routeOf(head);
    switch (route) {
    case Route::Probe:
    case Route::Health:
        return {std::nullopt, 0};
    case Route::Telemetry:
        return {std::nullopt, kMaxTelemetryBytes};
    case Route::NotFound:
        return {
            ApiError::notFound(QStringLiteral("ModelRelay has no route %1 %2 (it serves POST /v1/messages, "
                                              "POST /v1/messages/count_tokens and GET /health)")
                                   .arg(QString::fromLatin1(head.method), head.path)),
            0};
    case Route::Messages:
    case Route::CountTokens:
        break;
    }
    std::optional<ApiError> refused =
        ClientAccess::checkToken(head.header("x-api-key"), head.header("Authorization"), config.accessToken);
    if (!refused && head.method != "POST")
        refused = ApiError::invalidRequest(QStringLiteral("%1 must be called with POST").arg(head.path));
    // Every Content-Type line counts: a second one must not slip a form post past the first.
    for (const QByteArray &contentType : head.headerValues("Content-Type")) {
        if (!refused)
            refused = ClientAccess::checkContentType(contentType);
    }
    if (refused) {
        recordRefusal(route, *refused, clock);
        return {refused, 0};
    }
    return {std::nullopt, config.maxRequestBytes};
}

void ProxyServer::bodyFailed(const HttpRequestHead &head, const ApiError &error, const QElapsedTimer &clock) {
    const Route route = routeOf(head);
    if (route == Route::Messages || route == Route::CountTokens)
        recordRefusal(route, error, clock);
}

void ProxyServer::recordRefusal(Route route, const ApiError &error, const QElapsedTimer &clock) {
    RequestRecord record = newRecord(route);
    record.status = error.httpStatus();
    record.error = error.message;
    record.durationMs = clock.elapsed();
    record.response = error.toJson();
    emit requestFinished(record);
}

void ProxyServer::handle(HttpRequest request, std::unique_ptr<ResponseWriter> writer) {
    const Route route = routeOf(request.head);
    switch (route) {
    case Route::Probe:
        writer->sendHeadersOnly(request.head.path == QLatin1String("/") ? 200 : 204);
        return;
    case Route::Telemetry:
        writer->sendHeadersOnly(204);
        return;
    case Route::Health:
        answerHealth(*writer);
        return;
    case Route::NotFound: // refused on admission
        return;
    case Route::Messages:
    case Route::CountTokens:
        break;
    }
    IncomingRequest in;
    in.method = request.head.method;
    in.path = request.head.path;
    in.query = request.head.query;
    in.headers = std::move(request.head.headers);
    in.body = std::move(request.body);
    in.writer = std::move(writer);
    in.clock = request.clock;
    in.record = newRecord(route);
    RequestRecord::appendCapped(in.record.clientRequest, in.body);
    if (route == Route::Messages)
        deliverMessages(std::move(in));
    else
        m_countTokens->handle(std::move(in), *m_config);
}

void ProxyServer::answerHealth(ResponseWriter &writer) {
    const ProxyConfig &config = *m_config;
    const QJsonObject backend{{QStringLiteral("name"), config.backend.name},
                              {QStringLiteral("kind"), backendKindName(config.backend.kind)},
                              {QStringLiteral("url"), config.backend.shownUrl()}};
    const QJsonObject body{{QStringLiteral("status"), QStringLiteral("ok")},
                           {QStringLiteral("service"), QStringLiteral("ModelRelay")},
                           {QStringLiteral("version"), QStringLiteral(MODELRELAY_VERSION)},
                           {QStringLiteral("backend"), backend}};
    writer.sendComplete(200, kJson, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void ProxyServer::deliverMessages(IncomingRequest incoming) {
    auto *delivery =
        new MessagesDelivery(std::move(incoming), m_config, {*m_learned, *m_backends, *m_transport}, this);
    connect(delivery, &MessagesDelivery::finished, this, &ProxyServer::requestFinished);
    connect(delivery, &MessagesDelivery::logMessage, this, &ProxyServer::logMessage);
    delivery->start();
}

} // namespace modelrelay
