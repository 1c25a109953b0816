// Ollama's /api/chat. Its preflight asks /api/show (once per model, through the catalog) for the
// model's context length and sizes num_ctx for the request: Ollama's own default silently cuts
// Claude Code's prompts.
#pragma once

#include "backends/Backend.h"

namespace modelrelay {

class OllamaModelCatalog;

class OllamaBackend final : public Backend {
public:
    explicit OllamaBackend(OllamaModelCatalog &catalog);

    void preflight(const BackendProfile &profile, Attempt attempt,
                   std::function<void(Attempt)> ready) override;
    BackendCall prepare(const MessageRequest &request, const ModelTarget &target,
                        const BackendProfile &profile, const HttpHeaders &clientHeaders,
                        QStringList *notes) const override;

private:
    OllamaModelCatalog &m_catalog;
};

} // namespace modelrelay
