#include "ClaudeSettingsDocument.h"

#include "config/JsonObjectMembers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

// A string as JSON text, quotes and escapes included.
QByteArray jsonString(const QString &value) {
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}

QString position(const QByteArray &text, qsizetype offset) {
    offset = qBound<qsizetype>(0, offset, text.size());
    const qsizetype line = text.left(offset).count('\n') + 1;
    const qsizetype lineStart = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
    return u"line %1, column %2"_s.arg(line).arg(offset - lineStart + 1);
}

// The blanks between the start of the line holding `offset` and `offset`, when only blanks are
// there; nothing when the line has other text before it (compact JSON).
std::optional<QByteArray> indentBefore(const QByteArray &text, qsizetype offset) {
    const qsizetype lineStart = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
    const QByteArray before = text.sliced(lineStart, offset - lineStart);
    for (const char c : before)
        if (c != ' ' && c != '\t')
            return std::nullopt;
    return before;
}

struct EnvEntry {
    QString key;
    QByteArray rawValue;
};

QList<EnvEntry> changedEntries(const QList<JsonMember> &existing,
                               const QList<ClaudeSettingsDocument::EnvChange> &changes) {
    QList<EnvEntry> entries;
    for (const JsonMember &member : existing) {
        const auto change = std::find_if(changes.begin(), changes.end(),
                                         [&](const auto &c) { return c.first == member.key; });
        if (change == changes.end())
            entries.append({member.key, member.rawValue});
        else if (change->second)
            entries.append({member.key, jsonString(*change->second)});
    }
    for (const auto &[key, value] : changes) {
        const bool known = std::any_of(existing.begin(), existing.end(),
                                       [&key = key](const JsonMember &m) { return m.key == key; });
        if (!known && value)
            entries.append({key, jsonString(*value)});
    }
    return entries;
}

// innerIndent: the indentation of each entry; outerIndent: of the closing brace. Without them
// (compact JSON) the block is written on one line.
QByteArray envBlock(const QList<EnvEntry> &entries, const std::optional<QByteArray> &innerIndent,
                    const QByteArray &outerIndent) {
    if (entries.isEmpty())
        return "{}";
    QByteArrayList lines;
    for (const EnvEntry &entry : entries)
        lines.append(innerIndent.value_or(QByteArray()) + jsonString(entry.key) + ": " + entry.rawValue);
    if (!innerIndent)
        return '{' + lines.join(", ") + '}';
    return "{\n" + lines.join(",\n") + '\n' + outerIndent + '}';
}

// What ModelRelay writes into a file saved with Windows line endings gets them too.
QByteArray withLineEndingsOf(const QByteArray &text, QByteArray fragment) {
    return text.contains("\r\n") ? fragment.replace('\n', "\r\n") : fragment;
}

} // namespace

std::optional<ClaudeSettingsDocument> ClaudeSettingsDocument::parse(const QByteArray &text, QString *error) {
    ClaudeSettingsDocument document;
    document.m_text = text;
    if (text.trimmed().isEmpty())
        return document;
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt's offset is just past the character it stumbled on.
        *error = u"it is not valid JSON (%1: %2)"_s.arg(position(text, parseError.offset - 1),
                                                        parseError.errorString());
        return std::nullopt;
    }
    if (!json.isObject()) {
        *error = u"it holds JSON, but not an object ({ … })"_s;
        return std::nullopt;
    }
    document.m_object = json.object();
    return document;
}

QJsonObject ClaudeSettingsDocument::env() const {
    return m_object.value("env"_L1).toObject();
}

std::optional<QString> ClaudeSettingsDocument::envValue(const QString &name) const {
    const QJsonValue value = env().value(name);
    if (value.isUndefined())
        return std::nullopt;
    return value.toVariant().toString(); // numbers and booleans as Claude Code would read them
}

std::optional<QByteArray> ClaudeSettingsDocument::withEnv(const QList<EnvChange> &changes,
                                                          QString *error) const {
    const QList<JsonMember> members = JsonObjectMembers::read(m_text);
    const auto env =
        std::find_if(members.begin(), members.end(), [](const JsonMember &m) { return m.key == "env"_L1; });
    if (env != members.end()) {
        if (!m_object.value("env"_L1).isObject()) {
            *error = u"its \"env\" entry is not an object ({ … })"_s;
            return std::nullopt;
        }
        const QList<JsonMember> existing = JsonObjectMembers::read(env->rawValue);
        const QList<EnvEntry> entries = changedEntries(existing, changes);
        const QByteArray outer = indentBefore(m_text, env->keyOffset).value_or(QByteArray());
        const QByteArray deeper = outer + (outer.isEmpty() ? QByteArray("  ") : outer);
        std::optional<QByteArray> inner;
        if (env->rawValue.contains('\n'))
            inner = existing.isEmpty()
                        ? deeper
                        : indentBefore(env->rawValue, existing.first().keyOffset).value_or(deeper);
        else if (m_text.contains('\n') && entries.size() > existing.size())
            inner = deeper; // a one-line env block in a formatted file grows into a formatted one
        return m_text.left(env->valueOffset) + withLineEndingsOf(m_text, envBlock(entries, inner, outer)) +
               m_text.mid(env->valueOffset + env->rawValue.size());
    }

    const QList<EnvEntry> entries = changedEntries({}, changes);
    if (members.isEmpty())
        return "{\n  \"env\": " + envBlock(entries, QByteArray("    "), QByteArray("  ")) + "\n}\n";
    const JsonMember &last = members.constLast();
    const qsizetype end = last.valueOffset + last.rawValue.size();
    const std::optional<QByteArray> indent = indentBefore(m_text, members.constFirst().keyOffset);
    const QByteArray member =
        indent ? ",\n" + *indent + "\"env\": " + envBlock(entries, *indent + *indent, *indent)
               : ", \"env\": " + envBlock(entries, std::nullopt, {});
    return m_text.left(end) + withLineEndingsOf(m_text, member) + m_text.mid(end);
}

} // namespace modelrelay
