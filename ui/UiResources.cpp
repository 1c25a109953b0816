#include "UiResources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initModelRelayResources() {
    Q_INIT_RESOURCE(resources);
}

namespace modelrelay {

void UiResources::ensureLoaded() {
    static const bool loaded = [] {
        initModelRelayResources();
        return true;
    }();
    Q_UNUSED(loaded);
}

} // namespace modelrelay
