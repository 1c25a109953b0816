#include "Backend.h"

namespace modelrelay {

void Backend::preflight(const BackendProfile &, Attempt attempt, std::function<void(Attempt)> ready) {
    ready(std::move(attempt));
}

void Backend::countTokens(const MessageRequest &, const ModelTarget &, const BackendProfile &,
                          std::function<void(TokenCount)> done) {
    done({std::nullopt, QString()});
}

} // namespace modelrelay
