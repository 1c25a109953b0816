// Asks Ollama's /api/show once per model what its context length and capabilities are, and
// remembers the answer (a failed or slow answer is remembered as "unknown" for a minute, so a
// down /api/show never slows every request). Requests for a model that is being looked up wait
// for the one lookup in flight. Also remembers the largest num_ctx each model was given, so
// ModelRelay never makes Ollama reload a model for a smaller context.
#pragma once

#include "OllamaModelInfo.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QUrl>
#include <functional>
#include <optional>

namespace modelrelay {

class BackendTransport;

class OllamaModelCatalog : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const std::optional<OllamaModelInfo> &info)>;

    explicit OllamaModelCatalog(BackendTransport &transport, QObject *parent = nullptr);
    ~OllamaModelCatalog() override;

    // Calls done (maybe at once) with what /api/show said, or nullopt when it could not tell.
    void lookup(const QUrl &baseUrl, const QString &model, Callback done);

    int largestNumCtx(const QUrl &baseUrl, const QString &model) const;
    // The context lengths /api/show reported for the models of one server, by model.
    QHash<QString, int> knownContextLengths(const QUrl &baseUrl) const;
    // Drops what is known about `model` on every server (every model when empty), so the next
    // request asks again: for after the model was replaced. Lookups in flight still finish.
    void forget(const QString &model);
    void noteNumCtx(const QUrl &baseUrl, const QString &model, int numCtx);

    static constexpr int kLookupTimeoutMs = 3000;
    static constexpr int kRetryUnknownAfterMs = 60000;

private:
    struct Entry {
        std::optional<OllamaModelInfo> info;
        QDeadlineTimer validUntil; // forever for a known model
        bool inFlight = false;
        QList<Callback> waiting;
        int largestNumCtx = 0;
    };
    static QString keyOf(const QUrl &baseUrl, const QString &model);
    void settle(const QString &key, const std::optional<OllamaModelInfo> &info);

    BackendTransport &m_transport;
    QHash<QString, Entry> m_entries;
};

} // namespace modelrelay
