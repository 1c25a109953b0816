#include "HttpRequestParser.h"

#include <QUrl>
#include <optional>
#include <utility>

namespace modelrelay {

namespace {
constexpr qsizetype kMaxChunkLineBytes = 1024;
constexpr qsizetype kReserveUpTo = 1024 * 1024;

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b) {
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

// RFC 9110 5.6.2: the characters of a method or a header name.
bool isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text) {
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

QByteArrayView trimmed(QByteArrayView text) {
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

template <typename OnToken> void forEachToken(QByteArrayView value, OnToken &&onToken) {
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        const QByteArrayView token = trimmed(comma < 0 ? value : value.first(comma));
        if (!token.isEmpty())
            onToken(token);
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
    if (digits.isEmpty() || digits.size() > 15)
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
    }
    return value;
}
} // namespace

qsizetype HttpRequestParser::feed(QByteArrayView bytes) {
    qsizetype used = 0;
    while (used < bytes.size() && (m_state == State::Head || m_state == State::Body)) {
        const QByteArrayView rest = bytes.sliced(used);
        used += m_state == State::Head ? feedHead(rest) : feedBody(rest);
    }
    return used;
}

void HttpRequestParser::reset() {
    *this = HttpRequestParser(m_limits);
}

qsizetype HttpRequestParser::takeLine(QByteArrayView bytes, qsizetype limit, int tooLongStatus,
                                      bool *complete) {
    const qsizetype newline = bytes.indexOf('\n');
    const qsizetype take = newline < 0 ? bytes.size() : newline;
    *complete = newline >= 0;
    if (m_line.size() + take > limit) {
        fail(tooLongStatus, tooLongStatus == 414
                                ? QStringLiteral("the request line is longer than %1 bytes").arg(limit)
                                : QStringLiteral("the request's header block is longer than %1 KB")
                                      .arg(m_limits.maxHeadBytes / 1024));
        return bytes.size();
    }
    m_line.append(bytes.first(take));
    if (*complete) {
        if (m_line.endsWith('\r'))
            m_line.chop(1);
        if (m_line.contains('\r')) {
            fail(400, QStringLiteral("a line of the request holds a bare carriage return"));
            return bytes.size();
        }
    }
    return *complete ? take + 1 : take;
}

qsizetype HttpRequestParser::feedHead(QByteArrayView bytes) {
    const qsizetype headRoom = m_limits.maxHeadBytes - m_headBytes;
    const bool requestLine = !m_sawRequestLine;
    bool complete = false;
    const qsizetype used = requestLine
                               ? takeLine(bytes, qMin(m_limits.maxRequestLine, headRoom), 414, &complete)
                               : takeLine(bytes, headRoom, 431, &complete);
    m_headBytes += used;
    if (!complete || m_state == State::Failed)
        return used;
    const QByteArray line = std::exchange(m_line, QByteArray());
    if (requestLine) {
        // RFC 9112 2.2: empty lines before the request line are ignored.
        if (!line.isEmpty() && parseRequestLine(line))
            m_sawRequestLine = true;
    } else if (line.isEmpty()) {
        headEnded();
    } else {
        parseHeaderLine(line);
    }
    return used;
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line) {
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace) {
        fail(400, QStringLiteral("the request line is not 'METHOD target HTTP/1.1'"));
        return false;
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method) || target.isEmpty() || target.contains(' ') || target.contains('\t')) {
        fail(400, QStringLiteral("the request line is not 'METHOD target HTTP/1.1'"));
        return false;
    }
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9') {
        fail(400, QStringLiteral("the request line does not end in an HTTP version"));
        return false;
    }
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
        fail(505, QStringLiteral("HTTP/%1.%2 is not supported: use HTTP/1.1")
                      .arg(QLatin1Char(version[5]))
                      .arg(QLatin1Char(version[7])));
        return false;
    }
    m_head.method = method.toByteArray();
    m_head.target = target.toByteArray();
    m_head.minorVersion = version[7] - '0';
    QByteArrayView path = target;
    if (target.startsWith("http://") || target.startsWith("https://")) { // absolute form (to proxies)
        const qsizetype start = target.indexOf('/', target.indexOf("//") + 2);
        path = start < 0 ? QByteArrayView("/") : target.sliced(start);
    } else if (!target.startsWith('/') && target != "*") {
        fail(400, QStringLiteral("the request target must be a path starting with '/'"));
        return false;
    }
    const qsizetype query = path.indexOf('?');
    m_head.path = QUrl::fromPercentEncoding(query < 0 ? path.toByteArray() : path.first(query).toByteArray());
    if (query >= 0)
        m_head.query = QString::fromLatin1(path.sliced(query + 1));
    return true;
}

bool HttpRequestParser::parseHeaderLine(QByteArrayView line) {
    if (line.front() == ' ' || line.front() == '\t') {
        fail(400, QStringLiteral("the request folds a header over lines (obsolete line folding)"));
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(400, QStringLiteral("the request has a malformed header line"));
        return false;
    }
    if (m_head.headers.size() >= m_limits.maxHeaderFields) {
        fail(431, QStringLiteral("the request has more than %1 header fields").arg(m_limits.maxHeaderFields));
        return false;
    }
    m_head.headers.append({line.first(colon).toByteArray(), trimmed(line.sliced(colon + 1)).toByteArray()});
    return true;
}

void HttpRequestParser::headEnded() {
    HttpRequestHead &head = m_head;
    const bool http10 = head.minorVersion == 0;
    head.keepAlive = !http10;
    int hosts = 0;
    bool sawTransferEncoding = false;
    bool sawContentLength = false;
    QList<QByteArray> codings;
    std::optional<qint64> length;
    bool lengthValid = true;
    for (const auto &[name, value] : std::as_const(head.headers)) {
        if (equalsIgnoringCase(name, "host")) {
            ++hosts;
        } else if (equalsIgnoringCase(name, "connection")) {
            forEachToken(value, [&](QByteArrayView token) {
                if (equalsIgnoringCase(token, "close"))
                    head.keepAlive = false;
                else if (equalsIgnoringCase(token, "keep-alive") && http10)
                    head.keepAlive = true;
            });
        } else if (equalsIgnoringCase(name, "transfer-encoding")) {
            sawTransferEncoding = true;
            forEachToken(value, [&](QByteArrayView token) { codings.append(token.toByteArray()); });
        } else if (equalsIgnoringCase(name, "content-length")) {
            sawContentLength = true;
            forEachToken(value, [&](QByteArrayView token) {
                const std::optional<qint64> parsed = decimal(token);
                if (!parsed || (length && *length != *parsed))
                    lengthValid = false;
                else
                    length = parsed;
            });
        } else if (equalsIgnoringCase(name, "expect")) {
            head.expectContinue = equalsIgnoringCase(trimmed(value), "100-continue");
        }
    }
    if (hosts > 1 || (hosts == 0 && !http10)) {
        fail(400, hosts > 1 ? QStringLiteral("the request has more than one Host header")
                            : QStringLiteral("the request has no Host header"));
        return;
    }
    if (sawTransferEncoding) {
        // RFC 9112 6.1 and 6.3: framing by both is how requests are smuggled past proxies.
        if (sawContentLength || http10) {
            fail(400, sawContentLength
                          ? QStringLiteral("the request has both Content-Length and Transfer-Encoding")
                          : QStringLiteral("HTTP/1.0 requests cannot use Transfer-Encoding"));
            return;
        }
        if (codings.size() != 1 || !equalsIgnoringCase(codings.constFirst(), "chunked")) {
            fail(501, QStringLiteral("Transfer-Encoding '%1' is not supported (only chunked)")
                          .arg(QString::fromLatin1(codings.join(", "))));
            return;
        }
        head.chunked = true;
    } else if (sawContentLength) {
        if (!lengthValid || !length) {
            fail(400, QStringLiteral("the request has an invalid Content-Length"));
            return;
        }
        head.contentLength = *length;
    }
    m_state = State::HeadDone;
}

void HttpRequestParser::allowBody(qint64 maxBytes) {
    if (m_state != State::HeadDone)
        return;
    m_maxBody = maxBytes;
    if (m_head.chunked) {
        m_state = State::Body;
        m_chunkStep = ChunkStep::Size;
    } else if (m_head.contentLength > maxBytes) {
        fail(413, QStringLiteral("the request body is larger than allowed"));
        m_error.bodyBytes = m_head.contentLength;
    } else if (m_head.contentLength == 0) {
        m_state = State::Complete;
    } else {
        m_remaining = m_head.contentLength;
        if (m_remaining <= kReserveUpTo)
            m_body.reserve(qsizetype(m_remaining));
        m_state = State::Body;
    }
}

qsizetype HttpRequestParser::feedBody(QByteArrayView bytes) {
    if (m_head.chunked)
        return feedChunked(bytes);
    const qsizetype take = qsizetype(qMin<qint64>(m_remaining, bytes.size()));
    m_body.append(bytes.first(take));
    m_remaining -= take;
    if (m_remaining == 0)
        m_state = State::Complete;
    return take;
}

qsizetype HttpRequestParser::feedChunked(QByteArrayView bytes) {
    bool complete = false;
    switch (m_chunkStep) {
    case ChunkStep::Size: {
        const qsizetype used = takeLine(bytes, kMaxChunkLineBytes, 400, &complete);
        if (!complete || m_state == State::Failed)
            return used;
        const QByteArray line = std::exchange(m_line, QByteArray());
        const qsizetype extension = line.indexOf(';');
        const std::optional<qint64> size = hexadecimal(
            trimmed(extension < 0 ? QByteArrayView(line) : QByteArrayView(line).first(extension)));
        if (!size) {
            fail(400, QStringLiteral("the request has an invalid chunk size"));
        } else if (m_body.size() + *size > m_maxBody) {
            fail(413, QStringLiteral("the request body is larger than allowed"));
        } else if (*size == 0) {
            m_chunkStep = ChunkStep::Trailer;
        } else {
            m_remaining = *size;
            m_chunkStep = ChunkStep::Data;
        }
        return used;
    }
    case ChunkStep::Data: {
        const qsizetype take = qsizetype(qMin<qint64>(m_remaining, bytes.size()));
        m_body.append(bytes.first(take));
        m_remaining -= take;
        if (m_remaining == 0)
            m_chunkStep = ChunkStep::DataEnd;
        return take;
    }
    case ChunkStep::DataEnd: {
        const qsizetype used = takeLine(bytes, kMaxChunkLineBytes, 400, &complete);
        if (complete && m_state != State::Failed && !std::exchange(m_line, QByteArray()).isEmpty())
            fail(400, QStringLiteral("a chunk of the request is longer than its size says"));
        else if (complete && m_state != State::Failed)
            m_chunkStep = ChunkStep::Size;
        return used;
    }
    case ChunkStep::Trailer: {
        const qsizetype used =
            takeLine(bytes, qMax<qsizetype>(0, m_limits.maxHeadBytes - m_headBytes), 431, &complete);
        m_headBytes += used;
        if (complete && m_state != State::Failed && std::exchange(m_line, QByteArray()).isEmpty())
            m_state = State::Complete; // trailer fields are of no use here
        return used;
    }
    }
    return bytes.size();
}

void HttpRequestParser::fail(int status, const QString &message) {
    if (m_state == State::Failed)
        return;
    m_state = State::Failed;
    m_head.keepAlive = false;
    m_error = {status, message};
}

} // namespace modelrelay
