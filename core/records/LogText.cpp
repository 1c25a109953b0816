#include "LogText.h"

namespace modelrelay {

namespace {
bool needsEscape(char32_t c) {
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return true;
    return QChar::category(c) == QChar::Other_Format || c == 0x2028 || c == 0x2029;
}
} // namespace

QString LogText::printable(QStringView text, qsizetype maxChars) {
    QString out;
    out.reserve(qMin(text.size(), maxChars) + 16);
    qsizetype consumed = 0;
    for (auto it = text.begin(); it != text.end();) {
        if (out.size() >= maxChars)
            break;
        const QChar unit = *it;
        char32_t c = unit.unicode();
        qsizetype width = 1;
        if (unit.isHighSurrogate() && it + 1 != text.end() && (it + 1)->isLowSurrogate()) {
            c = QChar::surrogateToUcs4(unit, *(it + 1));
            width = 2;
        }
        if (!needsEscape(c))
            out.append(QStringView(it, width));
        else if (c <= 0xff)
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        else
            out += QStringLiteral("\\u{%1}").arg(uint(c), 4, 16, QLatin1Char('0'));
        it += width;
        consumed += width;
    }
    if (consumed < text.size())
        out += QStringLiteral("… (%1 more characters)").arg(text.size() - consumed);
    return out;
}

} // namespace modelrelay
