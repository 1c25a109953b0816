#include "HttpResponseParser.h"

#include <optional>
#include <utility>

namespace modelrelay {

namespace {
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qsizetype kMaxChunkLineBytes = 1024;
constexpr qint64 kMaxChunkSize = qint64(1) << 40;

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b) {
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

QByteArrayView trimmed(QByteArrayView text) {
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

// Calls onToken for each comma-separated, trimmed token of a header value.
template <typename OnToken> void forEachToken(QByteArrayView value, OnToken &&onToken) {
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        onToken(trimmed(comma < 0 ? value : value.first(comma)));
        value = comma < 0 ? QByteArrayView() : value.sliced(comma + 1);
    }
}

std::optional<qint64> decimal(QByteArrayView digits) {
    if (digits.isEmpty() || digits.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<qint64> hexadecimal(QByteArrayView digits) {
    if (digits.isEmpty())
        return std::nullopt;
    qint64 value = 0;
    for (const char c : digits) {
        int digit = 0;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return std::nullopt;
        value = value * 16 + digit;
        if (value > kMaxChunkSize)
            return std::nullopt;
    }
    return value;
}
} // namespace

void HttpResponseParser::feed(QByteArrayView bytes, QByteArray &body) {
    while (!bytes.isEmpty() && (m_state == State::Head || m_state == State::Body)) {
        const qsizetype used = m_state == State::Head ? feedHead(bytes) : feedBody(bytes, body);
        bytes = bytes.sliced(used);
    }
    if (!bytes.isEmpty() && m_state == State::Complete)
        m_trailingBytes = true;
}

void HttpResponseParser::connectionClosed() {
    m_keepAlive = false;
    if (m_state == State::Body && m_framing == Framing::UntilClose)
        m_state = State::Complete;
    else if (m_state == State::Head || m_state == State::Body)
        fail(QStringLiteral("the connection closed before the response was complete"));
}

QByteArray HttpResponseParser::header(QByteArrayView name) const {
    for (const auto &[key, value] : m_headers) {
        if (equalsIgnoringCase(key, name))
            return value;
    }
    return {};
}

qsizetype HttpResponseParser::takeLine(QByteArrayView bytes, qsizetype limit, bool *complete) {
    const qsizetype newline = bytes.indexOf('\n');
    const qsizetype take = newline < 0 ? bytes.size() : newline;
    *complete = newline >= 0;
    if (m_line.size() + take > limit) {
        fail(m_state == State::Head
                 ? QStringLiteral("the response head is longer than %1 KB").arg(kMaxHeadBytes / 1024)
                 : QStringLiteral("a chunk-size or trailer line of the response is longer than %1 bytes")
                       .arg(limit));
        return bytes.size();
    }
    m_line.append(bytes.first(take));
    if (*complete && m_line.endsWith('\r'))
        m_line.chop(1);
    return *complete ? take + 1 : take;
}

qsizetype HttpResponseParser::feedHead(QByteArrayView bytes) {
    bool complete = false;
    const qsizetype used = takeLine(bytes, kMaxHeadBytes - m_headBytes, &complete);
    m_headBytes += used;
    if (!complete || m_state == State::Failed)
        return used;
    const QByteArray line = std::exchange(m_line, QByteArray());
    if (m_status == 0) {
        if (!line.isEmpty() && !parseStatusLine(line))
            fail(QStringLiteral("the response does not start with an HTTP/1.x status line"));
    } else if (line.isEmpty()) {
        headEnded();
    } else if (!parseHeaderLine(line)) {
        fail(QStringLiteral("the response has a malformed header line"));
    }
    return used;
}

bool HttpResponseParser::parseStatusLine(QByteArrayView line) {
    // HTTP/1.1 200 OK
    if (line.size() < 12 || !line.startsWith("HTTP/1.") || line[8] != ' ')
        return false;
    m_http10 = line[7] == '0';
    const std::optional<qint64> status = decimal(line.sliced(9, 3));
    if (!status || *status < 100 || (line.size() > 12 && line[12] != ' '))
        return false;
    m_status = int(*status);
    m_reason = line.size() > 13 ? line.sliced(13).toByteArray() : QByteArray();
    return true;
}

bool HttpResponseParser::parseHeaderLine(QByteArrayView line) {
    if (line.front() == ' ' || line.front() == '\t') { // obsolete folding: continues the last value
        if (m_headers.isEmpty())
            return false;
        m_headers.last().second += ' ' + trimmed(line).toByteArray();
        return true;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return false;
    m_headers.append(
        {trimmed(line.first(colon)).toByteArray(), trimmed(line.sliced(colon + 1)).toByteArray()});
    return true;
}

void HttpResponseParser::headEnded() {
    if (m_status < 200) {
        if (m_status == 101) {
            fail(QStringLiteral("the server switched protocols"));
            return;
        }
        // 100 Continue, 103 Early Hints: the real response follows.
        m_status = 0;
        m_headers.clear();
        m_headBytes = 0;
        return;
    }

    m_keepAlive = !m_http10;
    bool sawContentLength = false;
    bool sawTransferEncoding = false;
    bool chunked = false;
    std::optional<qint64> length;
    for (const auto &[name, value] : std::as_const(m_headers)) {
        if (equalsIgnoringCase(name, "connection")) {
            forEachToken(value, [this](QByteArrayView token) {
                if (equalsIgnoringCase(token, "close"))
                    m_keepAlive = false;
                else if (equalsIgnoringCase(token, "keep-alive") && m_http10)
                    m_keepAlive = true;
            });
        } else if (equalsIgnoringCase(name, "transfer-encoding")) {
            sawTransferEncoding = true;
            forEachToken(value, [&chunked](QByteArrayView token) {
                chunked = equalsIgnoringCase(token, "chunked"); // chunked must be the last coding
            });
        } else if (equalsIgnoringCase(name, "content-length")) {
            bool valid = true;
            forEachToken(value, [&](QByteArrayView token) {
                const std::optional<qint64> parsed = decimal(token);
                if (!parsed || (length && *length != *parsed))
                    valid = false;
                else
                    length = parsed;
            });
            if (!valid || !length) {
                fail(QStringLiteral("the response has an invalid Content-Length"));
                return;
            }
            sawContentLength = true;
        }
    }

    m_state = State::Body;
    m_headDone = true;
    if (m_status == 204 || m_status == 304) {
        m_framing = Framing::None;
        m_state = State::Complete;
    } else if (sawTransferEncoding) {
        m_framing = chunked ? Framing::Chunked : Framing::UntilClose;
        if (!chunked || sawContentLength)
            m_keepAlive = false; // ambiguous framing: never reuse the connection
    } else if (sawContentLength) {
        m_framing = Framing::Length;
        m_remaining = *length;
        if (m_remaining == 0)
            m_state = State::Complete;
    } else {
        m_framing = Framing::UntilClose;
        m_keepAlive = false;
    }
}

qsizetype HttpResponseParser::feedBody(QByteArrayView bytes, QByteArray &body) {
    switch (m_framing) {
    case Framing::Length: {
        const qsizetype take = qsizetype(qMin<qint64>(m_remaining, bytes.size()));
        body.append(bytes.first(take));
        m_remaining -= take;
        if (m_remaining == 0)
            m_state = State::Complete;
        return take;
    }
    case Framing::UntilClose:
        body.append(bytes);
        return bytes.size();
    case Framing::Chunked:
        return feedChunked(bytes, body);
    case Framing::None:
        break;
    }
    m_state = State::Complete;
    return 0;
}

qsizetype HttpResponseParser::feedChunked(QByteArrayView bytes, QByteArray &body) {
    bool complete = false;
    switch (m_chunkStep) {
    case ChunkStep::Size: {
        const qsizetype used = takeLine(bytes, kMaxChunkLineBytes, &complete);
        if (!complete || m_state == State::Failed)
            return used;
        const QByteArray line = std::exchange(m_line, QByteArray());
        const qsizetype extension = line.indexOf(';');
        const std::optional<qint64> size = hexadecimal(
            trimmed(extension < 0 ? QByteArrayView(line) : QByteArrayView(line).first(extension)));
        if (!size)
            fail(QStringLiteral("the response has an invalid chunk size"));
        else if (*size == 0)
            m_chunkStep = ChunkStep::Trailer;
        else {
            m_remaining = *size;
            m_chunkStep = ChunkStep::Data;
        }
        return used;
    }
    case ChunkStep::Data: {
        const qsizetype take = qsizetype(qMin<qint64>(m_remaining, bytes.size()));
        body.append(bytes.first(take));
        m_remaining -= take;
        if (m_remaining == 0)
            m_chunkStep = ChunkStep::DataEnd;
        return take;
    }
    case ChunkStep::DataEnd: {
        const qsizetype used = takeLine(bytes, kMaxChunkLineBytes, &complete);
        if (!complete || m_state == State::Failed)
            return used;
        if (!std::exchange(m_line, QByteArray()).isEmpty())
            fail(QStringLiteral("a chunk of the response is longer than its size says"));
        m_chunkStep = ChunkStep::Size;
        return used;
    }
    case ChunkStep::Trailer: {
        const qsizetype used = takeLine(bytes, kMaxHeadBytes, &complete);
        if (!complete || m_state == State::Failed)
            return used;
        if (std::exchange(m_line, QByteArray()).isEmpty())
            m_state = State::Complete; // trailer fields themselves are of no use here
        return used;
    }
    }
    return bytes.size();
}

void HttpResponseParser::fail(const QString &message) {
    if (m_state == State::Failed)
        return;
    m_state = State::Failed;
    m_keepAlive = false;
    m_error = message;
}

} // namespace modelrelay
