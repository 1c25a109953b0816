#include "OllamaModelCatalog.h"

#include "transport/BackendReply.h"
#include "transport/BackendTransport.h"

#include <QTimer>
#include <algorithm>
#include <memory>
#include <utility>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

OllamaModelCatalog::OllamaModelCatalog(BackendTransport &transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport) {}

OllamaModelCatalog::~OllamaModelCatalog() = default;

QString OllamaModelCatalog::keyOf(const QUrl &baseUrl, const QString &model) {
    return baseUrl.toString(QUrl::StripTrailingSlash) + u'\n' + model;
}

void OllamaModelCatalog::lookup(const QUrl &baseUrl, const QString &model, Callback done) {
    const QString key = keyOf(baseUrl, model);
    Entry &entry = m_entries[key];
    if (entry.inFlight) {
        entry.waiting.append(std::move(done));
        return;
    }
    if (!entry.validUntil.hasExpired()) { // a default QDeadlineTimer has expired: never looked up
        done(entry.info);
        return;
    }
    entry.inFlight = true;
    entry.waiting.append(std::move(done));

    QUrl url = baseUrl;
    QString path = url.path();
    if (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u"/api/show"_s);
    BackendReply *reply = m_transport.post({url, {}, OllamaModelInfo::showRequestBody(model)});
    auto *timeout = new QTimer(reply);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, reply, &BackendReply::abort);
    timeout->start(kLookupTimeoutMs);
    auto body = std::make_shared<QByteArray>();
    connect(reply, &BackendReply::bytesArrived, this, [reply, body] { *body += reply->readAll(); });
    connect(reply, &BackendReply::finished, this, [this, reply, key, body] {
        reply->deleteLater();
        *body += reply->readAll();
        const bool ok = reply->error() == QNetworkReply::NoError && reply->status() == 200;
        settle(key, ok ? OllamaModelInfo::fromShowResponse(*body) : std::nullopt);
    });
}

void OllamaModelCatalog::settle(const QString &key, const std::optional<OllamaModelInfo> &info) {
    Entry &entry = m_entries[key];
    entry.info = info;
    entry.inFlight = false;
    entry.validUntil = info ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(kRetryUnknownAfterMs);
    const QList<Callback> waiting = std::exchange(entry.waiting, {});
    for (const Callback &done : waiting)
        done(info); // may look up again: `entry` is not used after this loop starts
}

QHash<QString, int> OllamaModelCatalog::knownContextLengths(const QUrl &baseUrl) const {
    const QString prefix = keyOf(baseUrl, QString());
    QHash<QString, int> lengths;
    for (auto it = m_entries.constBegin(); it != m_entries.constEnd(); ++it)
        if (it.key().startsWith(prefix) && it->info && it->info->contextLength > 0)
            lengths.insert(it.key().mid(prefix.size()), it->info->contextLength);
    return lengths;
}

void OllamaModelCatalog::forget(const QString &model) {
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const bool matches = model.isEmpty() || it.key().endsWith(u'\n' + model);
        if (matches && !it->inFlight)
            it = m_entries.erase(it);
        else
            ++it;
    }
}

int OllamaModelCatalog::largestNumCtx(const QUrl &baseUrl, const QString &model) const {
    return m_entries.value(keyOf(baseUrl, model)).largestNumCtx;
}

void OllamaModelCatalog::noteNumCtx(const QUrl &baseUrl, const QString &model, int numCtx) {
    Entry &entry = m_entries[keyOf(baseUrl, model)];
    entry.largestNumCtx = std::max(entry.largestNumCtx, numCtx);
}

} // namespace modelrelay
