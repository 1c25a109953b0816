// `modelrelay claude-setup --print|--apply|--restore`: shows, writes or takes back the settings
// that point Claude Code at this proxy in Claude Code's own settings file, then exits (0 when it
// did what was asked, 1 when it could not, with the reason on stderr).
#pragma once

#include "config/ConfigLoader.h"

namespace modelrelay {

class ClaudeSetupRunner {
public:
    static int run(const LoadedConfig &loaded);
};

} // namespace modelrelay
