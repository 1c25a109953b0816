// How the values of a small enum are written: a name for settings, flags and JSON (plus aliases
// accepted when reading, e.g. "warning" for warn) and a title for the UI. One table per enum
// replaces a switch per direction, so adding a value is one line.
#pragma once

#include <QString>
#include <QStringList>
#include <cstddef>

namespace modelrelay {

template <typename Enum> struct EnumSpelling {
    Enum value;
    const char *name;        // lower case, as written in files and flags
    const char *title;       // UTF-8, as the UI shows it
    const char *aliases{""}; // other names accepted when reading, separated by spaces
};

namespace enum_spellings {

// The table's first row stands in for a value outside the enum (a cast gone wrong).
template <typename Enum, std::size_t N>
const EnumSpelling<Enum> &rowOf(const EnumSpelling<Enum> (&table)[N], Enum value) {
    for (const EnumSpelling<Enum> &row : table)
        if (row.value == value)
            return row;
    return table[0];
}

template <typename Enum, std::size_t N> QString nameOf(const EnumSpelling<Enum> (&table)[N], Enum value) {
    return QString::fromLatin1(rowOf(table, value).name);
}

template <typename Enum, std::size_t N> QString titleOf(const EnumSpelling<Enum> (&table)[N], Enum value) {
    return QString::fromUtf8(rowOf(table, value).title);
}

// Case-insensitive, surrounding blanks ignored; false (and *value untouched) when nothing matches.
template <typename Enum, std::size_t N>
bool fromName(const EnumSpelling<Enum> (&table)[N], const QString &text, Enum *value) {
    const QString wanted = text.trimmed().toLower();
    for (const EnumSpelling<Enum> &row : table) {
        if (wanted == QLatin1StringView(row.name) ||
            QString::fromLatin1(row.aliases).split(u' ', Qt::SkipEmptyParts).contains(wanted)) {
            *value = row.value;
            return true;
        }
    }
    return false;
}

} // namespace enum_spellings

} // namespace modelrelay
