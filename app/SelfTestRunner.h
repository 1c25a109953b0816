// `modelrelay --self-test`: replays the Claude Code-shaped scenarios against the configured
// backend and model, prints one line per capability, and exits 0 only when every required one
// passed.
#pragma once

#include "config/ConfigLoader.h"

namespace modelrelay {

class SelfTestRunner {
public:
    // Runs on the QCoreApplication that main() created; returns the exit code.
    static int run(const LoadedConfig &loaded);
};

} // namespace modelrelay
