#include "OpenAiBackend.h"

#include "OpenAiRequestBuilder.h"
#include "OpenAiStreamDecoder.h"
#include "TokenizerProbe.h"
#include "backends/ToolCallGuard.h"

#include <QJsonDocument>

namespace modelrelay {

OpenAiBackend::OpenAiBackend(TokenizerProbe &tokenizer)
    : m_tokenizer(tokenizer) {}

BackendCall OpenAiBackend::prepare(const MessageRequest &request, const ModelTarget &target,
                                   const BackendProfile &profile, const HttpHeaders &,
                                   QStringList *notes) const {
    return {OpenAiRequestBuilder::build(request, target, profile, notes),
            std::make_unique<ToolCallGuard>(std::make_unique<OpenAiStreamDecoder>(), target.backendModel)};
}

void OpenAiBackend::countTokens(const MessageRequest &request, const ModelTarget &target,
                                const BackendProfile &profile, std::function<void(TokenCount)> done) {
    // The tokenizer counts what the model reads: the request as translated for the server.
    QStringList ignoredNotes;
    const BackendRequest chat = OpenAiRequestBuilder::build(request, target, profile, &ignoredNotes);
    m_tokenizer.count(profile.baseUrl, chat.headers, QJsonDocument::fromJson(chat.body).object(),
                      [done = std::move(done)](const TokenizerProbe::Result &result) {
                          done({result.tokens, result.note});
                      });
}

} // namespace modelrelay
