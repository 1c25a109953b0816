#include "ClipboardSetup.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

ClipboardSetup::Shell ClipboardSetup::currentShell() {
#ifdef Q_OS_WIN
    return Shell::PowerShell;
#else
    return Shell::Posix;
#endif
}

QString ClipboardSetup::setupLine(const QString &address, Shell shell) {
    // Claude Code insists on some API key; the proxy does not check this one.
    if (shell == Shell::PowerShell)
        return u"$env:ANTHROPIC_BASE_URL=\"%1\"; $env:ANTHROPIC_API_KEY=\"modelrelay\""_s.arg(address);
    return u"export ANTHROPIC_BASE_URL=%1 ANTHROPIC_API_KEY=modelrelay"_s.arg(address);
}

} // namespace modelrelay
