// The Backend of each kind, for the server's worker thread: the one place that maps a
// BackendKind to its request builder, decoder, preflight and tokenizer.
#pragma once

#include "Backend.h"

#include <QObject>
#include <memory>

namespace modelrelay {

class BackendTransport;
class OllamaModelCatalog;
class TokenizerProbe;

class BackendRegistry : public QObject {
    Q_OBJECT
public:
    // catalog: what Ollama servers said about their models (kept by the owner of learned state);
    // transport: how backends are asked (tokenizers).
    BackendRegistry(OllamaModelCatalog &catalog, BackendTransport &transport, QObject *parent = nullptr);
    ~BackendRegistry() override;

    Backend &forKind(BackendKind kind);

private:
    TokenizerProbe *m_tokenizerProbe; // a child
    std::unique_ptr<Backend> m_ollama;
    std::unique_ptr<Backend> m_openAi;
    std::unique_ptr<Backend> m_anthropic;
};

} // namespace modelrelay
