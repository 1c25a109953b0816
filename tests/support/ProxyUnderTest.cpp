#include "ProxyUnderTest.h"

#include "FakeBackend.h"
#include "server/ProxyService.h"

#include <QUrl>
#include <QtCore/qtestsupport_core.h>
#include <optional>

namespace modelrelay::testing {

ProxyUnderTest::ProxyUnderTest()
    : m_service(std::make_unique<ProxyService>()) {
    QObject::connect(m_service.get(), &ProxyService::requestFinished, m_service.get(),
                     [this](const RequestRecord &record) { m_records.append(record); });
}

ProxyUnderTest::~ProxyUnderTest() = default;

BackendProfile ProxyUnderTest::profileFor(const FakeBackend &backend) {
    BackendProfile profile;
    switch (backend.kind()) {
    case FakeBackend::Kind::OpenAI:
        profile.kind = BackendKind::OpenAI;
        break;
    case FakeBackend::Kind::Ollama:
        profile.kind = BackendKind::Ollama;
        break;
    case FakeBackend::Kind::Anthropic:
        profile.kind = BackendKind::Anthropic;
        break;
    }
    profile.baseUrl = QUrl(backend.baseUrl());
    return profile;
}

ProxyConfig ProxyUnderTest::configFor(const FakeBackend &backend) {
    ProxyConfig config;
    config.port = 0;
    const BackendProfile profile = profileFor(backend);
    config.backend.kind = profile.kind;
    config.backend.baseUrl = profile.baseUrl;
    config.modelMap.defaultModel = QStringLiteral("fake-model");
    return config;
}

bool ProxyUnderTest::start(const ProxyConfig &config) {
    ProxyConfig onFreePort = config;
    onFreePort.port = 0;
    QString address;
    std::optional<QString> failure;
    QObject listening; // its connections end with it
    QObject::connect(m_service.get(), &ProxyService::started, &listening,
                     [&](const QString &a) { address = a; });
    QObject::connect(m_service.get(), &ProxyService::failed, &listening,
                     [&](const QString &m) { failure = m; });
    m_service->start(onFreePort);
    if (!QTest::qWaitFor([&] { return !address.isEmpty() || failure; }, 5000)) {
        qWarning("the proxy did not start within 5 s");
        return false;
    }
    if (failure) {
        qWarning("the proxy did not start: %s", qPrintable(*failure));
        return false;
    }
    m_address = address;
    m_port = quint16(QUrl(address).port());
    return true;
}

bool ProxyUnderTest::start(FakeBackend &backend, const std::function<void(ProxyConfig &)> &adjust) {
    ProxyConfig config = configFor(backend);
    if (adjust)
        adjust(config);
    return start(config);
}

std::unique_ptr<RawHttpExchange> ProxyUnderTest::exchange(const QByteArray &method, const QByteArray &path,
                                                          const QByteArray &body, const Headers &headers,
                                                          int timeoutMs) {
    auto e = std::make_unique<RawHttpExchange>(m_port, method, path, body, headers);
    e->start();
    if (!QTest::qWaitFor([&] { return e->isDone(); }, timeoutMs))
        qWarning("no complete answer to %s %s within %d ms", method.constData(), path.constData(), timeoutMs);
    return e;
}

std::unique_ptr<RawHttpExchange> ProxyUnderTest::post(const QByteArray &body, const QByteArray &path,
                                                      int timeoutMs) {
    return exchange("POST", path, body, {}, timeoutMs);
}

bool ProxyUnderTest::waitForRecords(qsizetype count, int timeoutMs) {
    return QTest::qWaitFor([&] { return m_records.size() >= count; }, timeoutMs);
}

RequestRecord ProxyUnderTest::lastRecord() {
    if (!waitForRecords(1))
        return {};
    return m_records.last();
}

} // namespace modelrelay::testing
