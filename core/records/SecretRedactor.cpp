#include "SecretRedactor.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace modelrelay {

namespace {

using Span = std::pair<qsizetype, qsizetype>;

// Matched on a Latin-1 view of the bytes, so match offsets are byte offsets.
const QRegularExpression &keyValuePattern() {
    static const QRegularExpression re(
        QStringLiteral(R"re("?(?:x-api-key|api[_-]?key|authorization|access[_-]?token|password|secret)"?)re"
                       R"re(\s*[:=]\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,;&{}\[\]"]+)))re"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &bearerPattern() {
    static const QRegularExpression re(QStringLiteral(R"(Bearer\s+([A-Za-z0-9._~+/=-]+))"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &skKeyPattern() {
    static const QRegularExpression re(QStringLiteral(R"((?<![A-Za-z0-9])(sk-[A-Za-z0-9_-]{8,}))"));
    return re;
}

void collect(const QRegularExpression &re, const QString &text, QList<Span> &spans) {
    for (auto it = re.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        for (int group = 1; group <= re.captureCount(); ++group) {
            if (match.capturedStart(group) >= 0 && match.capturedLength(group) > 0)
                spans.append({match.capturedStart(group), match.capturedEnd(group)});
        }
    }
}

QList<Span> merged(QList<Span> spans) {
    std::sort(spans.begin(), spans.end());
    QList<Span> out;
    for (const Span &span : spans) {
        if (!out.isEmpty() && span.first <= out.last().second)
            out.last().second = qMax(out.last().second, span.second);
        else
            out.append(span);
    }
    return out;
}

QString normalizedName(const QString &name) {
    QString n = name.toLower();
    n.remove(QLatin1Char('_'));
    n.remove(QLatin1Char('-'));
    return n;
}

} // namespace

QList<std::pair<qsizetype, qsizetype>> SecretRedactor::secretSpans(const QByteArray &text) {
    const QString latin1 = QString::fromLatin1(text);
    QList<Span> spans;
    collect(keyValuePattern(), latin1, spans);
    collect(bearerPattern(), latin1, spans);
    collect(skKeyPattern(), latin1, spans);
    return merged(spans);
}

QByteArray SecretRedactor::redact(const QByteArray &text) {
    return redactPieces({text}).value(0);
}

QList<TimedBytes> SecretRedactor::redactTimed(const QList<TimedBytes> &pieces) {
    QList<QByteArray> bytes;
    for (const TimedBytes &piece : pieces) {
        if (!RequestRecord::isOmittedMarker(piece))
            bytes.append(piece.bytes);
    }
    const QList<QByteArray> redacted = redactPieces(bytes);
    QList<TimedBytes> out;
    qsizetype next = 0;
    for (const TimedBytes &piece : pieces)
        out.append(RequestRecord::isOmittedMarker(piece) ? piece
                                                         : TimedBytes{piece.atMs, redacted.value(next++)});
    return out;
}

QList<QByteArray> SecretRedactor::redactPieces(const QList<QByteArray> &pieces) {
    QByteArray whole;
    for (const QByteArray &piece : pieces)
        whole += piece;
    const QList<Span> spans = secretSpans(whole);
    if (spans.isEmpty())
        return pieces;
    const QByteArray marker = kRedacted.toLatin1();
    QList<QByteArray> out;
    out.reserve(pieces.size());
    qsizetype pieceBegin = 0;
    for (const QByteArray &piece : pieces) {
        const qsizetype pieceEnd = pieceBegin + piece.size();
        QByteArray redacted;
        qsizetype at = pieceBegin;
        for (const Span &span : spans) {
            if (span.second <= at || span.first >= pieceEnd)
                continue;
            if (span.first > at)
                redacted += whole.mid(at, span.first - at);
            if (span.first >= pieceBegin)
                redacted += marker;
            at = qMin(span.second, pieceEnd);
        }
        if (at < pieceEnd)
            redacted += whole.mid(at, pieceEnd - at);
        out.append(redacted);
        pieceBegin = pieceEnd;
    }
    return out;
}

bool SecretRedactor::isSecretName(const QString &name) {
    const QString n = normalizedName(name);
    for (const char *secret : {"apikey", "authorization", "accesstoken", "password", "secret"}) {
        if (n.contains(QLatin1String(secret)))
            return true;
    }
    return false;
}

QJsonValue SecretRedactor::redact(const QJsonValue &value) {
    if (value.isString())
        return QString::fromUtf8(redact(value.toString().toUtf8()));
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(redact(item));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = isSecretName(it.key()) ? QJsonValue(kRedacted) : redact(it.value());
        return object;
    }
    return value;
}

} // namespace modelrelay
