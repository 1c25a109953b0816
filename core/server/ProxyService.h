// The proxy as the application sees it: owns the worker thread that runs the HTTP server and
// every in-flight exchange. Thread-safe to drive from the GUI thread; all results come back
// through queued signals, so the caller never waits on the network.
#pragma once

#include "LearnedModel.h"
#include "config/ProxyConfig.h"
#include "records/RequestRecord.h"

#include <QObject>
#include <QString>
#include <memory>

namespace modelrelay {

class ProxyService : public QObject {
    Q_OBJECT
public:
    explicit ProxyService(QObject *parent = nullptr);
    ~ProxyService() override; // stops the server and joins the worker thread

    // Starts listening with this configuration; emits started() or failed().
    void start(const ProxyConfig &config);
    // Stops listening; in-flight requests are aborted. Emits stopped().
    void stop();
    // Applies to the next request; in-flight requests finish with the configuration they
    // started with. A changed host or port restarts the listener (started()/failed() again).
    void setConfig(const ProxyConfig &config);

    // Makes the proxy forget what it learned about a backend model (every model when empty):
    // token calibration and output limits, also in ProxyConfig::learnedFile. Emits learnedForgotten().
    void forgetLearned(const QString &backendModel);
    // Asks for what is learned now; answered by learnedChanged().
    void refreshLearned();

    ProxyConfig config() const;
    bool isRunning() const;
    QString listenAddress() const; // "http://127.0.0.1:8787" while running, else empty

signals:
    void started(const QString &address);
    void stopped();
    void failed(const QString &message); // e.g. "port 8787 on 127.0.0.1 is already in use ..."
    void requestFinished(const modelrelay::RequestRecord &record);
    void learnedForgotten(const QString &backendModel);
    // What the proxy has learned, per backend model: after refreshLearned(), after a forget, and
    // after a request that changed it.
    void learnedChanged(const modelrelay::LearnedModels &models);
    // Diagnostics for the log (never contains API keys).
    void logMessage(modelrelay::LogLevel level, const QString &message);

private:
    void publishLearned(bool always); // worker thread: emits learnedChanged() (only if changed unless always)

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace modelrelay
