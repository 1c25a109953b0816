// Counts a request's prompt tokens with an OpenAI-compatible backend's own tokenizer
// (POST /tokenize of vLLM or llama.cpp server). Finds out once per backend which of the two
// answers (or that neither does, asked again after a while), and gives up after a short timeout,
// so count_tokens can always fall back to the estimate without keeping the client waiting.
#pragma once

#include "backends/BackendTokenizer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>
#include <functional>
#include <optional>

namespace modelrelay {

class BackendTransport;

class TokenizerProbe : public QObject {
    Q_OBJECT
public:
    struct Result {
        std::optional<int> tokens; // none: use the estimate
        QString note;              // which tokenizer counted, or why none did
    };
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    using Done = std::function<void(const Result &)>;

    explicit TokenizerProbe(BackendTransport &transport, QObject *parent = nullptr);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setRetryAfterMs(qint64 ms) { m_retryAfterMs = ms; } // for backends without a tokenizer

    // chatBody: the Chat Completions body the request translates to; headers: its auth headers.
    // `done` is called exactly once, from this object's thread.
    void count(const QUrl &openAiBaseUrl, const Headers &headers, const QJsonObject &chatBody, Done done);

private:
    enum class Known { Detecting, Vllm, LlamaCpp, None };
    struct Backend {
        Known known = Known::Detecting;
        QElapsedTimer since;
    };
    using Answered =
        std::function<void(const std::optional<BackendTokenizer::Answer> &, const QString &failure)>;

    void post(const QUrl &url, const Headers &headers, const QByteArray &body, int timeoutMs,
              Answered answered);
    void countWithLlamaCpp(const QString &key, const QUrl &url, const Headers &headers,
                           const QJsonObject &chatBody, int timeoutMs, Done done);
    void forget(const QString &key, Known expected);

    BackendTransport &m_transport;
    QHash<QString, Backend> m_backends; // by tokenize URL
    int m_timeoutMs = 2000;
    qint64 m_retryAfterMs = 5 * 60 * 1000;
};

} // namespace modelrelay
