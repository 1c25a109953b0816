#include "TokenizerProbe.h"

#include "transport/BackendReply.h"
#include "transport/BackendTransport.h"

#include <QTimer>
#include <memory>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

TokenizerProbe::TokenizerProbe(BackendTransport &transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport) {}

void TokenizerProbe::count(const QUrl &openAiBaseUrl, const Headers &headers, const QJsonObject &chatBody,
                           Done done) {
    const QUrl url = BackendTokenizer::tokenizeUrl(openAiBaseUrl);
    const QString key = url.toString();
    auto it = m_backends.find(key);
    if (it != m_backends.end() && it->known == Known::None && it->since.hasExpired(m_retryAfterMs)) {
        m_backends.erase(it);
        it = m_backends.end();
    }
    if (it != m_backends.end()) {
        switch (it->known) {
        case Known::Detecting:
            // Concurrent requests do not probe again; they take the estimate this once.
            done({std::nullopt, u"backend tokenizer still being detected"_s});
            return;
        case Known::None:
            done({std::nullopt, u"backend has no tokenizer endpoint (%1)"_s.arg(key)});
            return;
        case Known::LlamaCpp:
            countWithLlamaCpp(key, url, headers, chatBody, m_timeoutMs, std::move(done));
            return;
        case Known::Vllm:
            post(url, headers, BackendTokenizer::vllmRequest(chatBody), m_timeoutMs,
                 [this, key, done](const std::optional<BackendTokenizer::Answer> &answer,
                                   const QString &failure) {
                     if (answer && answer->dialect == TokenizerDialect::Vllm) {
                         done({answer->tokens, u"counted by the backend's tokenizer (vLLM %1)"_s.arg(key)});
                         return;
                     }
                     if (answer) // another server now answers at this URL
                         forget(key, Known::Vllm);
                     done({std::nullopt, u"backend tokenizer failed: %1"_s.arg(failure)});
                 });
            return;
        }
    }

    Backend &detecting = m_backends[key];
    detecting.known = Known::Detecting;
    detecting.since.start();
    // vLLM's chat form first: llama.cpp answers it too (with no tokens), vLLM refuses the text form.
    // llama.cpp needs a second round trip: both share one timeout, so the client never waits longer.
    QElapsedTimer clock;
    clock.start();
    post(url, headers, BackendTokenizer::vllmRequest(chatBody), m_timeoutMs,
         [this, key, url, headers, chatBody, done,
          clock](const std::optional<BackendTokenizer::Answer> &answer, const QString &failure) {
             Backend &backend = m_backends[key];
             backend.since.start();
             if (!answer) {
                 backend.known = Known::None;
                 done({std::nullopt, u"backend has no tokenizer endpoint (%1: %2)"_s.arg(key, failure)});
                 return;
             }
             if (answer->dialect == TokenizerDialect::Vllm) {
                 backend.known = Known::Vllm;
                 done({answer->tokens, u"counted by the backend's tokenizer (vLLM %1)"_s.arg(key)});
                 return;
             }
             backend.known = Known::LlamaCpp;
             countWithLlamaCpp(key, url, headers, chatBody, qMax(1, m_timeoutMs - int(clock.elapsed())),
                               done);
         });
}

void TokenizerProbe::countWithLlamaCpp(const QString &key, const QUrl &url, const Headers &headers,
                                       const QJsonObject &chatBody, int timeoutMs, Done done) {
    const BackendTokenizer::TextRequest request = BackendTokenizer::llamaCppRequest(chatBody);
    post(
        url, headers, request.body, timeoutMs,
        [this, key, done, overhead = request.overheadTokens](
            const std::optional<BackendTokenizer::Answer> &answer, const QString &failure) {
            if (answer && answer->dialect == TokenizerDialect::LlamaCpp) {
                done(
                    {answer->tokens + overhead,
                     u"counted by the backend's tokenizer (llama.cpp %1, + %2 tokens for the chat template)"_s
                         .arg(key)
                         .arg(overhead)});
                return;
            }
            if (answer)
                forget(key, Known::LlamaCpp);
            done({std::nullopt, u"backend tokenizer failed: %1"_s.arg(failure)});
        });
}

void TokenizerProbe::forget(const QString &key, Known expected) {
    if (m_backends.value(key).known == expected)
        m_backends.remove(key);
}

void TokenizerProbe::post(const QUrl &url, const Headers &headers, const QByteArray &body, int timeoutMs,
                          Answered answered) {
    BackendReply *reply = m_transport.post({url, headers, body});
    // A timer rather than a pause limit: it bounds the whole answer, not each pause in it.
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, &BackendReply::abort);
    timer->start(timeoutMs);
    auto received = std::make_shared<QByteArray>();
    connect(reply, &BackendReply::bytesArrived, this, [reply, received] { *received += reply->readAll(); });
    connect(reply, &BackendReply::finished, this, [this, reply, received, answered = std::move(answered)] {
        reply->deleteLater();
        *received += reply->readAll();
        const int status = reply->status();
        if (reply->error() == QNetworkReply::OperationCanceledError) {
            answered(std::nullopt, u"no answer within %1 ms"_s.arg(m_timeoutMs));
            return;
        }
        if (reply->error() != QNetworkReply::NoError || status < 200 || status >= 300) {
            answered(std::nullopt, status > 0 ? u"HTTP %1"_s.arg(status) : reply->errorString());
            return;
        }
        const auto answer = BackendTokenizer::parseAnswer(*received);
        answered(answer, answer ? QString() : u"unexpected answer"_s);
    });
}

} // namespace modelrelay
