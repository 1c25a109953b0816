#include "AnthropicNativeBackend.h"

#include "AnthropicNativeRequestBuilder.h"
#include "AnthropicNativeStreamDecoder.h"
#include "backends/ToolCallGuard.h"

namespace modelrelay {

BackendCall AnthropicNativeBackend::prepare(const MessageRequest &request, const ModelTarget &target,
                                            const BackendProfile &profile, const HttpHeaders &clientHeaders,
                                            QStringList *notes) const {
    return {AnthropicNativeRequestBuilder::build(request, target, profile, clientHeaders, notes),
            std::make_unique<ToolCallGuard>(std::make_unique<AnthropicNativeStreamDecoder>(),
                                            target.backendModel)};
}

} // namespace modelrelay
