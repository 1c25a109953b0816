// Splits a byte stream into lines ("\n" or "\r\n") however the bytes were chunked; a line is
// handed out only once complete, so multi-byte UTF-8 characters are never cut. A line longer
// than the limit is not buffered: a backend (or whatever answers at its URL) that sends hundreds
// of megabytes without a newline would otherwise hold them all in memory. The buffer then stops
// for good (overflowed()), and the stream is to be ended with an error.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace modelrelay {

class LineBuffer {
public:
    // Far above any real event (a tool call's arguments, a whole unstreamed answer), far below
    // what hurts a desktop.
    static constexpr qsizetype kDefaultMaxLineBytes = 16 * 1024 * 1024;

    explicit LineBuffer(qsizetype maxLineBytes = kDefaultMaxLineBytes)
        : m_maxLineBytes(maxLineBytes) {}

    // Calls onLine(QByteArrayView) for every line the bytes complete (without its terminator).
    template <typename OnLine> void feed(QByteArrayView bytes, OnLine &&onLine) {
        if (m_overflowed)
            return;
        qsizetype start = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if (bytes[i] != '\n')
                continue;
            if (m_pending.size() + (i - start) > m_maxLineBytes)
                return overflow();
            if (m_pending.isEmpty()) {
                onLine(trimmed(bytes.sliced(start, i - start)));
            } else {
                m_pending.append(bytes.sliced(start, i - start));
                onLine(trimmed(QByteArrayView(m_pending)));
                m_pending.clear();
            }
            start = i + 1;
        }
        if (m_pending.size() + (bytes.size() - start) > m_maxLineBytes)
            return overflow();
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

    bool overflowed() const { return m_overflowed; }
    // Why the stream cannot be read, in a user's words; for overflowed().
    QString overflowMessage() const {
        return QStringLiteral("it sent a line of more than %1 MB without a line break, which is not a "
                              "stream ModelRelay can read (is the base URL the backend's API?)")
            .arg(m_maxLineBytes / (1024 * 1024));
    }

private:
    static QByteArrayView trimmed(QByteArrayView line) {
        return line.endsWith('\r') ? line.chopped(1) : line;
    }
    void overflow() {
        m_overflowed = true;
        m_pending = QByteArray(); // gives the memory back
    }

    QByteArray m_pending;
    qsizetype m_maxLineBytes;
    bool m_overflowed = false;
};

} // namespace modelrelay
