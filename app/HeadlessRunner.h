// Headless mode: the proxy with a console log instead of a tray icon.
#pragma once

#include "config/ConfigLoader.h"

namespace modelrelay {

class HeadlessRunner {
public:
    // Runs on the QCoreApplication that main() created; returns the exit code.
    static int run(const LoadedConfig &loaded);
};

} // namespace modelrelay
