// Splits a byte stream into lines ("\n" or "\r\n") however the bytes were chunked; a line is
// handed out only once complete, so multi-byte UTF-8 characters are never cut.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace modelrelay {

class LineBuffer {
public:
    // Calls onLine(QByteArrayView) for every line the bytes complete (without its terminator).
    template <typename OnLine> void feed(QByteArrayView bytes, OnLine &&onLine) {
        qsizetype start = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if (bytes[i] != '\n')
                continue;
            if (m_pending.isEmpty()) {
                onLine(trimmed(bytes.sliced(start, i - start)));
            } else {
                m_pending.append(bytes.sliced(start, i - start));
                onLine(trimmed(QByteArrayView(m_pending)));
                m_pending.clear();
            }
            start = i + 1;
        }
        if (start < bytes.size())
            m_pending.append(bytes.sliced(start));
    }

    // The stream ended: a last line without terminator still counts.
    template <typename OnLine> void finish(OnLine &&onLine) {
        if (!m_pending.isEmpty()) {
            const QByteArray last = std::move(m_pending);
            m_pending.clear();
            onLine(trimmed(QByteArrayView(last)));
        }
    }

private:
    static QByteArrayView trimmed(QByteArrayView line) {
        return line.endsWith('\r') ? line.chopped(1) : line;
    }

    QByteArray m_pending;
};

} // namespace modelrelay
