#include "ToolInputRepair.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QList>
#include <QRegularExpression>
#include <optional>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

using Result = ToolInputRepair::Result;

Result success(const QJsonObject &object, QStringList repairs) {
    return {true, QJsonDocument(object).toJson(QJsonDocument::Compact), std::move(repairs), {}};
}

Result failure(const QString &reason) {
    return {false, {}, {}, reason};
}

QString kindOf(const QJsonDocument &document) {
    if (document.isArray())
        return u"a JSON array"_s;
    return u"a JSON value"_s;
}

// A document that is a JSON string: the model may have encoded its object a second time.
std::optional<QJsonObject> doubleEncodedObject(const QByteArray &text) {
    // QJsonDocument accepts only objects and arrays at the top level: wrap the string to read it.
    QJsonParseError error;
    const QJsonDocument wrapped = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError || wrapped.array().size() != 1 ||
        !wrapped.array().at(0).isString())
        return std::nullopt;
    const QJsonDocument inner =
        QJsonDocument::fromJson(wrapped.array().at(0).toString().trimmed().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !inner.isObject())
        return std::nullopt;
    return inner.object();
}

// The info string after the opening fence ("json", "JSON", none) is one word; a one-line fence
// ("```json {...}```") has the object on the same line, which must not be dropped with it.
QString withoutMarkdownFence(const QString &text) {
    QString body = text.mid(3);
    const qsizetype lineEnd = body.indexOf(u'\n');
    const qsizetype objectStart = body.indexOf(u'{');
    const qsizetype infoEnd =
        objectStart >= 0 && (lineEnd < 0 || objectStart < lineEnd) ? objectStart : lineEnd;
    const QString info = infoEnd < 0 ? body : body.left(infoEnd);
    static const QRegularExpression infoString(u"^\\s*[A-Za-z0-9_+.-]*\\s*$"_s);
    if (!infoString.match(info).hasMatch())
        return text; // prose after the fence: left for the parser to refuse
    body = infoEnd < 0 ? QString() : body.mid(infoEnd);
    body = body.trimmed();
    if (body.endsWith("```"_L1))
        body.chop(3);
    return body.trimmed();
}

struct Scanned {
    QString text;
    QList<QChar> unclosed; // '{' or '[', outermost first
    int trailingCommas = 0;
    QString failure;
};

bool isSpace(QChar c) {
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

// One pass over the text outside strings: drops commas that stand right before a closing bracket
// and remembers which brackets are still open at the end.
Scanned scan(const QString &input) {
    Scanned s;
    s.text.reserve(input.size() + 8);
    bool inString = false;
    bool escaped = false;
    bool closedTop = false;
    qsizetype pendingComma = -1; // position in s.text of a comma followed only by whitespace
    for (const QChar c : input) {
        if (inString) {
            s.text += c;
            if (escaped)
                escaped = false;
            else if (c == u'\\')
                escaped = true;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (isSpace(c)) {
            s.text += c;
            continue;
        }
        if (closedTop) {
            s.failure = u"text after the JSON object"_s;
            return s;
        }
        if ((c == u'}' || c == u']') && pendingComma >= 0) {
            s.text.remove(pendingComma, 1);
            ++s.trailingCommas;
        }
        pendingComma = -1;
        if (c == u',')
            pendingComma = s.text.size();
        else if (c == u'"')
            inString = true;
        else if (c == u'{' || c == u'[')
            s.unclosed.append(c);
        else if ((c == u'}' || c == u']') && !s.unclosed.isEmpty()) {
            if ((c == u'}') != (s.unclosed.last() == u'{')) {
                s.failure = u"mismatched brackets"_s;
                return s;
            }
            s.unclosed.removeLast();
            closedTop = s.unclosed.isEmpty();
        }
        s.text += c;
    }
    if (inString) {
        // Closing the string would hand the tool a value the model never finished (half a shell
        // command, half a path): that is content, not syntax.
        s.failure = u"cut off inside a string"_s;
        return s;
    }
    if (pendingComma >= 0 && !s.unclosed.isEmpty()) {
        s.text.remove(pendingComma, 1);
        ++s.trailingCommas;
    }
    return s;
}

// True when the text ends with a complete value, so closing the brackets adds syntax only: not
// after a number (it may have had more digits), a key, a colon or an opening bracket.
bool endsWithCompleteValue(const QString &text) {
    const QString t = text.trimmed();
    if (t.endsWith(u'}') || t.endsWith(u']'))
        return true;
    if (t.endsWith("true"_L1) || t.endsWith("false"_L1) || t.endsWith("null"_L1))
        return true;
    if (!t.endsWith(u'"'))
        return false;
    // A string right after '{' or ',' inside an object is a key whose value never came; the parser
    // rejects that below, so any other closing quote is a value's.
    return true;
}

} // namespace

ToolInputRepair::Result ToolInputRepair::repair(const QString &arguments) {
    QString text = arguments.trimmed();
    if (text.isEmpty())
        return success(QJsonObject(), {u"empty arguments read as {}"_s});

    QStringList repairs;
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error == QJsonParseError::NoError) {
        if (document.isObject())
            return success(document.object(), {});
        return failure(kindOf(document) + u", not an object"_s);
    }
    if (text.startsWith(u'"')) {
        if (const auto inner = doubleEncodedObject(text.toUtf8()))
            return success(*inner, {u"decoded an object encoded as a JSON string"_s});
        return failure(u"a JSON string, not an object"_s);
    }
    if (text.startsWith("```"_L1)) {
        text = withoutMarkdownFence(text);
        repairs.append(u"removed a markdown code fence"_s);
        if (text.isEmpty())
            return success(QJsonObject(), repairs);
    }
    if (text.startsWith(u'['))
        return failure(u"a JSON array, not an object"_s);
    if (!text.startsWith(u'{'))
        return failure(u"not JSON"_s);

    Scanned scanned = scan(text);
    if (!scanned.failure.isEmpty())
        return failure(scanned.failure);
    if (scanned.trailingCommas > 0)
        repairs.append(scanned.trailingCommas == 1
                           ? u"removed a trailing comma"_s
                           : u"removed %1 trailing commas"_s.arg(scanned.trailingCommas));
    if (!scanned.unclosed.isEmpty()) {
        if (!endsWithCompleteValue(scanned.text))
            return failure(u"cut off in the middle of a value"_s);
        for (qsizetype i = scanned.unclosed.size() - 1; i >= 0; --i)
            scanned.text += scanned.unclosed.at(i) == u'{' ? u'}' : u']';
        repairs.append(scanned.unclosed.size() == 1
                           ? u"closed 1 bracket cut off at the end"_s
                           : u"closed %1 brackets cut off at the end"_s.arg(scanned.unclosed.size()));
    }
    document = QJsonDocument::fromJson(scanned.text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return failure(u"not valid JSON (%1 at offset %2)"_s.arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return failure(kindOf(document) + u", not an object"_s);
    return success(document.object(), repairs);
}

} // namespace modelrelay
