// Replays the Claude Code-shaped scenarios through a real proxy (started in-process on
// 127.0.0.1 with a free port, with the configuration under test) and reports one result per
// capability as each one finishes. Never blocks: everything runs on the event loop, the proxy on
// its own worker thread.
#pragma once

#include "SelfTestResult.h"
#include "SelfTestScenario.h"
#include "config/ProxyConfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace modelrelay {

class ModelLister;
class ProxyService;

class SelfTest : public QObject {
    Q_OBJECT
public:
    explicit SelfTest(QObject *parent = nullptr);
    ~SelfTest() override;

    // Per request (a lower PROVIDER_TIMEOUT_MS wins); local models may take a while on Claude
    // Code-sized prompts.
    void setRequestTimeoutMs(int ms) { m_requestTimeoutMs = ms; }
    void setScenarios(const QList<SelfTestScenario> &scenarios) { m_scenarios = scenarios; }

    // Starts a run; a run already under way is abandoned.
    void start(const ProxyConfig &config);
    bool isRunning() const { return m_running; }
    QList<SelfTestResult> results() const { return m_results; }

    static QString reachabilityTitle();

signals:
    void started(const QString &backendModel);
    void resultReady(const modelrelay::SelfTestResult &result);
    void finished(const QList<modelrelay::SelfTestResult> &results);

private:
    void begin();
    void newLister();
    int requestTimeoutMs() const;
    void checkReachability();
    void startProxy();
    void runNext();
    void judge(const SelfTestScenario &scenario, int httpStatus, const QByteArray &body,
               qsizetype requestBytes);
    void report(const QString &capability, const QString &title, bool required,
                const SelfTestVerdict &verdict);
    void skipRemaining(const QString &reason);
    void finish();

    ProxyConfig m_config;
    QList<SelfTestScenario> m_scenarios;
    int m_next = 0;
    int m_run = 0; // a new start() abandons the run before it
    int m_requestTimeoutMs = 180000;
    bool m_running = false;
    QString m_model;
    QString m_proxyAddress;
    QList<SelfTestResult> m_results;
    QElapsedTimer m_clock;
    ModelLister *m_lister = nullptr;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<ProxyService> m_proxy;
};

} // namespace modelrelay
