// Headless mode: the proxy with a console log instead of a tray icon.
#pragma once

#include "config/ConfigLoader.h"

namespace modelrelay {

class HeadlessRunner {
public:
    static int run(int &argc, char **argv, const LoadedConfig &loaded);
};

} // namespace modelrelay
