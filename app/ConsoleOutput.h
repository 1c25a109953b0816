// One line to the terminal the command-line modes (headless, self-test, claude-setup) write to,
// flushed at once so it shows before whatever comes next (or a crash).
#pragma once

#include <QString>
#include <cstdio>

namespace modelrelay {

inline void printLine(FILE *stream, const QString &text) {
    std::fputs(qPrintable(text + u'\n'), stream);
    std::fflush(stream);
}

} // namespace modelrelay
