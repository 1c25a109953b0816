// The line a user pastes into a terminal to point Claude Code at the proxy.
#pragma once

#include <QString>

namespace modelrelay {

class ClipboardSetup {
public:
    enum class Shell { Posix, PowerShell };
    static Shell currentShell();
    static QString setupLine(const QString &address, Shell shell = currentShell());
};

} // namespace modelrelay
