// The top-level members of a JSON object in document order, each value as its raw JSON text:
// QJsonObject sorts its keys, and for model-map rules the order the user wrote is the meaning.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace modelrelay {

struct JsonMember {
    QString key;
    QByteArray rawValue; // the value's JSON text as written, e.g. "\"qwen\"" or {"model": ...}
};

class JsonObjectMembers {
public:
    // json must already have parsed as an object (QJsonDocument); anything else gives an empty list.
    static QList<JsonMember> read(const QByteArray &json);
};

} // namespace modelrelay
