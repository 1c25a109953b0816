// The icons compiled into the UI library. A static library's resources are not registered on
// their own: every widget that uses them calls ensureLoaded() first.
#pragma once

namespace modelrelay {

class UiResources {
public:
    static void ensureLoaded();
};

} // namespace modelrelay
