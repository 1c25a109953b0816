#include "SelfTest.h"

#include "AnswerChecks.h"
#include "backends/ModelLister.h"
#include "server/ProxyService.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
const QString kReachability = u"backend"_s;
} // namespace

SelfTest::SelfTest(QObject *parent)
    : QObject(parent)
    , m_scenarios(SelfTestScenario::builtIn())
    , m_network(new QNetworkAccessManager(this)) {
    qRegisterMetaType<SelfTestResult>();
}

void SelfTest::newLister() {
    // A fresh lister per run: a late answer for an abandoned run must not count for this one.
    if (m_lister) {
        m_lister->disconnect(this);
        m_lister->deleteLater();
    }
    m_lister = new ModelLister(this);
    connect(m_lister, &ModelLister::listed, this, [this](const QStringList &models) {
        const SelfTestVerdict verdict = AnswerChecks::modelAvailable(m_config.backend.kind, models, m_model);
        report(kReachability, reachabilityTitle(), true, verdict);
        if (verdict.status == SelfTestStatus::Passed)
            startProxy();
        else
            skipRemaining(u"skipped: the model is not available"_s);
    });
    connect(m_lister, &ModelLister::failed, this, [this](const QString &message) {
        report(kReachability, reachabilityTitle(), true, {SelfTestStatus::Failed, message});
        skipRemaining(u"skipped: the backend is not reachable"_s);
    });
}

SelfTest::~SelfTest() = default;

QString SelfTest::reachabilityTitle() {
    return u"Backend reachable, model available"_s;
}

void SelfTest::start(const ProxyConfig &config) {
    m_running = false; // what the abandoned run still reports is ignored from here on
    if (QNetworkReply *abandoned = m_reply) {
        m_reply = nullptr;
        abandoned->abort();
    }
    newLister();
    m_proxy.reset();
    m_config = config;
    m_results.clear();
    m_next = 0;
    m_running = true;
    m_proxyAddress.clear();
    m_clock.invalidate();
    const int run = ++m_run;
    // Results always arrive after start() returns, so a caller can connect and wait the same way
    // whether the run fails at once or after a minute.
    QMetaObject::invokeMethod(
        this,
        [this, run] {
            if (run == m_run)
                begin();
        },
        Qt::QueuedConnection);
}

void SelfTest::begin() {
    const QString clientModel = m_scenarios.isEmpty() ? QString() : m_scenarios.constFirst().model();
    const auto target = m_config.modelMap.resolve(clientModel);
    m_model = target ? target->backendModel : QString();
    emit started(m_model);
    if (!target) {
        report(
            kReachability, reachabilityTitle(), true,
            {SelfTestStatus::Failed, u"%1 maps to no backend model: set DEFAULT_MODEL (--default-model) or "
                                     "add a model map rule"_s.arg(clientModel)});
        skipRemaining(u"skipped: no backend model to test"_s);
        return;
    }
    checkReachability();
}

int SelfTest::requestTimeoutMs() const {
    return qMin(m_requestTimeoutMs, m_config.backendTimeoutMs);
}

void SelfTest::checkReachability() {
    m_clock.start();
    m_lister->list(m_config.backend, qMin(requestTimeoutMs(), 15000));
}

void SelfTest::startProxy() {
    ProxyConfig proxyConfig = m_config;
    proxyConfig.host = u"127.0.0.1"_s;
    proxyConfig.port = 0; // any free port: the user's proxy may be running on the usual one
    proxyConfig.backendTimeoutMs = requestTimeoutMs();
    m_proxy = std::make_unique<ProxyService>();
    connect(m_proxy.get(), &ProxyService::started, this, [this](const QString &address) {
        m_proxyAddress = address;
        runNext();
    });
    connect(m_proxy.get(), &ProxyService::failed, this, [this](const QString &message) {
        if (!m_proxyAddress.isEmpty() || !m_running)
            return;
        skipRemaining(u"skipped: the proxy could not start: "_s + message);
    });
    m_proxy->start(proxyConfig);
}

void SelfTest::runNext() {
    if (!m_running)
        return;
    if (m_next >= m_scenarios.size()) {
        finish();
        return;
    }
    const SelfTestScenario scenario = m_scenarios.at(m_next++);
    QNetworkRequest request(QUrl(m_proxyAddress + scenario.endpoint));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("anthropic-version", "2023-06-01");
    request.setRawHeader("x-api-key", m_config.accessToken.isEmpty() ? QByteArray("modelrelay")
                                                                     : m_config.accessToken.toUtf8());
    request.setTransferTimeout(requestTimeoutMs());
    const QByteArray body = QJsonDocument(scenario.request).toJson(QJsonDocument::Compact);
    m_clock.start();
    QNetworkReply *reply = m_network->post(request, body);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, scenario, size = body.size()] {
        reply->deleteLater();
        if (!m_running || m_reply != reply)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            const QString why =
                reply->error() == QNetworkReply::OperationCanceledError
                    ? u"no answer within %1 s (a slow model? the timeout is per request)"_s.arg(
                          requestTimeoutMs() / 1000)
                    : reply->errorString();
            report(scenario.capability, scenario.title, scenario.required, {SelfTestStatus::Failed, why});
        } else {
            judge(scenario, status, reply->readAll(), size);
        }
        runNext();
    });
}

void SelfTest::judge(const SelfTestScenario &s, int httpStatus, const QByteArray &body,
                     qsizetype requestBytes) {
    const QString &c = s.capability;
    if (c == "count-tokens"_L1) {
        report(c, s.title, s.required, AnswerChecks::countTokens(httpStatus, body, requestBytes));
        return;
    }
    const ReadAnswer answer =
        s.streams() ? AnswerReader::fromSse(httpStatus, body) : AnswerReader::fromJson(httpStatus, body);
    SelfTestVerdict verdict;
    if (c == "plain-text"_L1)
        verdict = AnswerChecks::plainText(answer);
    else if (c == "streaming"_L1)
        verdict = AnswerChecks::streaming(answer);
    else if (c == "tool-use"_L1)
        verdict = AnswerChecks::toolUse(answer, s.request.value("tools"_L1).toArray());
    else if (c == "tool-result"_L1)
        verdict = AnswerChecks::toolResult(answer);
    else if (c == "image"_L1)
        verdict = AnswerChecks::image(answer);
    else if (c == "thinking"_L1)
        verdict = AnswerChecks::thinking(answer);
    else
        verdict = AnswerChecks::plainText(answer); // a scenario added as data alone still gets judged
    report(c, s.title, s.required, verdict);
}

void SelfTest::report(const QString &capability, const QString &title, bool required,
                      const SelfTestVerdict &verdict) {
    SelfTestResult result;
    result.capability = capability;
    result.title = title;
    result.required = required;
    result.status = verdict.status;
    result.detail = verdict.detail;
    result.durationMs =
        verdict.status == SelfTestStatus::Skipped || !m_clock.isValid() ? 0 : m_clock.elapsed();
    m_results.append(result);
    emit resultReady(result);
}

void SelfTest::skipRemaining(const QString &reason) {
    m_clock.invalidate();
    for (; m_next < m_scenarios.size(); ++m_next) {
        const SelfTestScenario &s = m_scenarios.at(m_next);
        report(s.capability, s.title, s.required, {SelfTestStatus::Skipped, reason});
    }
    finish();
}

void SelfTest::finish() {
    m_running = false;
    if (m_proxy)
        m_proxy->stop();
    emit finished(m_results);
}

} // namespace modelrelay
