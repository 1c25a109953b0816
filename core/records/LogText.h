// Text on its way into a log line, made safe for a terminal: requests carry client-supplied
// strings (a model name, an error a backend echoed) that may hold escape sequences, which a
// terminal would obey (recolour, retitle, move the cursor), line breaks that forge log lines, or
// megabytes. Controls become visible escapes and the line is capped.
#pragma once

#include <QString>
#include <QStringView>

namespace modelrelay {

class LogText {
public:
    static constexpr qsizetype kMaxChars = 4000;

    // C0 and C1 controls, DEL and invisible format characters (bidirectional overrides) as \xNN
    // or \u{NNNN}; past maxChars, cut with a note of how much was left out.
    static QString printable(QStringView text, qsizetype maxChars = kMaxChars);
};

} // namespace modelrelay
