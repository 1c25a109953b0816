// The real proxy core (ProxyService, on its worker thread) started on a free port for one test,
// with every request record it reported, and raw HTTP exchanges against it.
#pragma once

#include "RawHttpExchange.h"
#include "config/ProxyConfig.h"
#include "records/RequestRecord.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <functional>
#include <memory>

namespace modelrelay {
class ProxyService;
}

namespace modelrelay::testing {

class FakeBackend;

class ProxyUnderTest {
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    ProxyUnderTest();
    ~ProxyUnderTest();
    ProxyUnderTest(const ProxyUnderTest &) = delete;
    ProxyUnderTest &operator=(const ProxyUnderTest &) = delete;

    // The backend's kind and base URL, nothing else.
    static BackendProfile profileFor(const FakeBackend &backend);
    // That backend, every client model mapped to "fake-model".
    static ProxyConfig configFor(const FakeBackend &backend);

    // Start on a free port (config.port is ignored) and wait for it; false, with a warning, if the
    // proxy failed or did not start within 5 s.
    bool start(const ProxyConfig &config);
    bool start(FakeBackend &backend, const std::function<void(ProxyConfig &)> &adjust = {});

    quint16 port() const { return m_port; }
    QString address() const { return m_address; } // "http://127.0.0.1:PORT"
    ProxyService &service() { return *m_service; }

    // One request over its own connection, waited for up to timeoutMs (a warning if it is not done).
    std::unique_ptr<RawHttpExchange> exchange(const QByteArray &method, const QByteArray &path,
                                              const QByteArray &body = {}, const Headers &headers = {},
                                              int timeoutMs = 20000);
    std::unique_ptr<RawHttpExchange> post(const QByteArray &body, const QByteArray &path = "/v1/messages",
                                          int timeoutMs = 20000);

    // The records reported so far, oldest first (requestFinished arrives queued: wait for them).
    QList<RequestRecord> records() const { return m_records; }
    void clearRecords() { m_records.clear(); }
    bool waitForRecords(qsizetype count, int timeoutMs = 5000);
    // The newest record, waiting up to 5 s for one; an empty record if none came.
    RequestRecord lastRecord();

private:
    std::unique_ptr<ProxyService> m_service;
    QList<RequestRecord> m_records;
    quint16 m_port = 0;
    QString m_address;
};

} // namespace modelrelay::testing
