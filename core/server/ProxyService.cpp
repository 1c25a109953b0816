#include "ProxyService.h"

#include "ProxyServer.h"

#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>
#include <QThread>

namespace modelrelay {

struct ProxyService::Private {
    QThread thread;
    ProxyServer *server = nullptr; // lives in `thread`
    mutable QMutex mutex;          // guards the three fields below, read from any thread
    ProxyConfig config;
    bool running = false;
    QString address;
    LearnedModels lastLearned; // what learnedChanged() last sent; worker thread only
};

namespace {
QString formatAddress(const QString &host, quint16 port) {
    const QString shownHost = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("http://%1:%2").arg(shownHost).arg(port);
}
} // namespace

ProxyService::ProxyService(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    qRegisterMetaType<RequestRecord>();
    qRegisterMetaType<ProxyConfig>();
    qRegisterMetaType<LogLevel>();
    qRegisterMetaType<LearnedModels>();
    d->thread.setObjectName(QStringLiteral("ModelRelay proxy"));
    d->server = new ProxyServer;
    d->server->moveToThread(&d->thread);
    connect(d->server, &ProxyServer::requestFinished, this, &ProxyService::requestFinished,
            Qt::QueuedConnection);
    connect(d->server, &ProxyServer::logMessage, this, &ProxyService::logMessage, Qt::QueuedConnection);
    // Runs in the worker thread, after the record is queued: a request may have calibrated the
    // token estimate or taught a limit.
    connect(d->server, &ProxyServer::requestFinished, d->server, [this] { publishLearned(false); });
    d->thread.start();
}

ProxyService::~ProxyService() {
    ProxyServer *server = d->server;
    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    d->thread.quit();
    d->thread.wait();
}

void ProxyService::start(const ProxyConfig &config) {
    {
        QMutexLocker lock(&d->mutex);
        d->config = config;
    }
    ProxyServer *server = d->server;
    QMetaObject::invokeMethod(server, [this, server, config] {
        QString error;
        const bool ok = server->listen(config, &error);
        const QString address = ok ? formatAddress(config.host, server->port()) : QString();
        {
            QMutexLocker lock(&d->mutex);
            d->running = ok;
            d->address = address;
        }
        if (ok)
            QMetaObject::invokeMethod(
                this, [this, address] { emit started(address); }, Qt::QueuedConnection);
        else
            QMetaObject::invokeMethod(
                this, [this, error] { emit failed(error); }, Qt::QueuedConnection);
    });
}

void ProxyService::stop() {
    ProxyServer *server = d->server;
    QMetaObject::invokeMethod(server, [this, server] {
        server->close();
        {
            QMutexLocker lock(&d->mutex);
            d->running = false;
            d->address.clear();
        }
        QMetaObject::invokeMethod(
            this, [this] { emit stopped(); }, Qt::QueuedConnection);
    });
}

void ProxyService::setConfig(const ProxyConfig &config) {
    bool restart = false;
    {
        QMutexLocker lock(&d->mutex);
        restart = d->running && (config.host != d->config.host || config.port != d->config.port);
        d->config = config;
    }
    if (restart) {
        start(config);
        return;
    }
    ProxyServer *server = d->server;
    QMetaObject::invokeMethod(server, [server, config] { server->setConfig(config); });
}

void ProxyService::forgetLearned(const QString &backendModel) {
    ProxyServer *server = d->server;
    QMetaObject::invokeMethod(server, [this, server, backendModel] {
        server->forgetLearned(backendModel);
        publishLearned(true);
        QMetaObject::invokeMethod(
            this, [this, backendModel] { emit learnedForgotten(backendModel); }, Qt::QueuedConnection);
    });
}

void ProxyService::refreshLearned() {
    QMetaObject::invokeMethod(d->server, [this] { publishLearned(true); });
}

void ProxyService::publishLearned(bool always) {
    LearnedModels models = d->server->learnedModels();
    if (!always && models == d->lastLearned)
        return;
    d->lastLearned = models;
    QMetaObject::invokeMethod(
        this, [this, models = std::move(models)] { emit learnedChanged(models); }, Qt::QueuedConnection);
}

ProxyConfig ProxyService::config() const {
    QMutexLocker lock(&d->mutex);
    return d->config;
}

bool ProxyService::isRunning() const {
    QMutexLocker lock(&d->mutex);
    return d->running;
}

QString ProxyService::listenAddress() const {
    QMutexLocker lock(&d->mutex);
    return d->address;
}

} // namespace modelrelay
