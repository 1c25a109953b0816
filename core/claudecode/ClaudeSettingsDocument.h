// Claude Code's user settings file (settings.json) as text: read for its "env" block, and
// rewritten with only some env entries changed. Every other byte of the file stays as the user
// (or Claude Code) wrote it: members, their order, their formatting. Pure: bytes in, bytes out.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace modelrelay {

class ClaudeSettingsDocument {
public:
    // name → new value; no value removes the entry.
    using EnvChange = std::pair<QString, std::optional<QString>>;

    // An empty (or all-blank) text is an empty document, as a missing file is. Anything that is
    // not a JSON object gives nothing and *error says where it broke ("line 3, column 7: …").
    static std::optional<ClaudeSettingsDocument> parse(const QByteArray &text, QString *error);

    bool isEmpty() const { return m_object.isEmpty(); }
    const QJsonObject &object() const { return m_object; }
    QJsonObject env() const; // the "env" object; empty when there is none (or it is not an object)
    std::optional<QString> envValue(const QString &name) const;

    // The text with the env entries changed in place, new ones appended to the env block (created
    // at the end of the object when missing). Fails (nothing) only when "env" exists but is not an
    // object: that is not ModelRelay's to overwrite.
    std::optional<QByteArray> withEnv(const QList<EnvChange> &changes, QString *error) const;

private:
    QByteArray m_text;
    QJsonObject m_object;
};

} // namespace modelrelay
