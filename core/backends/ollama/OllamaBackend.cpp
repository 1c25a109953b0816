#include "OllamaBackend.h"

#include "OllamaContextPlanner.h"
#include "OllamaModelCatalog.h"
#include "OllamaRequestBuilder.h"
#include "OllamaStreamDecoder.h"
#include "backends/ToolCallGuard.h"

namespace modelrelay {

OllamaBackend::OllamaBackend(OllamaModelCatalog &catalog)
    : m_catalog(catalog) {}

void OllamaBackend::preflight(const BackendProfile &profile, Attempt attempt,
                              std::function<void(Attempt)> ready) {
    const QUrl baseUrl = profile.baseUrl;
    const int userCap = profile.ollamaContextSize;
    const QString model = attempt.target.backendModel;
    m_catalog.lookup(baseUrl, model,
                     [this, baseUrl, userCap, attempt = std::move(attempt),
                      ready = std::move(ready)](const std::optional<OllamaModelInfo> &info) mutable {
                         OllamaContextPlanner::Input input;
                         input.estimatedPromptTokens = attempt.estimatedInputTokens;
                         input.maxOutputTokens = attempt.maxOutputTokens;
                         input.ruleContext = attempt.target.contextSize;
                         input.userCap = userCap;
                         input.modelContext = info ? info->contextLength : 0;
                         input.previous = m_catalog.largestNumCtx(baseUrl, attempt.target.backendModel);
                         const OllamaContextPlanner::Plan plan = OllamaContextPlanner::plan(input);
                         attempt.target.contextSize = plan.numCtx;
                         attempt.target.thinking = info ? info->thinking() : ThinkingSupport::Unknown;
                         m_catalog.noteNumCtx(baseUrl, attempt.target.backendModel, plan.numCtx);
                         attempt.notes.append(
                             QStringLiteral("num_ctx %1 (prompt ~%2 + answer up to %3 tokens; model context "
                                            "%4, cap %5)")
                                 .arg(plan.numCtx)
                                 .arg(input.estimatedPromptTokens)
                                 .arg(input.maxOutputTokens)
                                 .arg(input.modelContext > 0 ? QString::number(input.modelContext)
                                                             : QStringLiteral("unknown"))
                                 .arg(input.ruleContext > 0 ? input.ruleContext : input.userCap));
                         if (!plan.warning.isEmpty()) {
                             attempt.warning =
                                 plan.warning + QStringLiteral(" (%1)").arg(attempt.target.backendModel);
                             attempt.notes.append(attempt.warning);
                         }
                         ready(std::move(attempt));
                     });
}

BackendCall OllamaBackend::prepare(const MessageRequest &request, const ModelTarget &target,
                                   const BackendProfile &profile, const HttpHeaders &,
                                   QStringList *notes) const {
    return {OllamaRequestBuilder::build(request, target, profile, notes),
            std::make_unique<ToolCallGuard>(std::make_unique<OllamaStreamDecoder>(), target.backendModel)};
}

} // namespace modelrelay
