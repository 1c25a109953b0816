// Entry point of the tray application (everything that needs QApplication and widgets).
#pragma once

#include "config/ConfigLoader.h"

namespace modelrelay {

// Runs the tray application until the user quits; returns the process exit code.
int runGui(int &argc, char **argv, const LoadedConfig &loaded);

} // namespace modelrelay
