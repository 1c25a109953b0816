// The top-level members of a JSON object in document order, each value as its raw JSON text:
// QJsonObject sorts its keys, and for model-map rules the order the user wrote is the meaning.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace modelrelay {

struct JsonMember {
    QString key;
    QByteArray rawValue;       // the value's JSON text as written, e.g. "\"qwen\"" or {"model": ...}
    qsizetype keyOffset = 0;   // where the key's opening quote is in the text read
    qsizetype valueOffset = 0; // where rawValue starts in the text read
};

class JsonObjectMembers {
public:
    // json must already have parsed as an object (QJsonDocument); anything else gives an empty list.
    static QList<JsonMember> read(const QByteArray &json);
};

} // namespace modelrelay
