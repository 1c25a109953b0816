// Entry point of the tray application (everything that needs QApplication and widgets).
#pragma once

#include "config/ConfigLoader.h"

namespace modelrelay {

// Runs the tray application on the QApplication that main() created until the user quits;
// returns the process exit code.
int runGui(const LoadedConfig &loaded);

} // namespace modelrelay
