#include "ToolUseId.h"

#include <QCryptographicHash>
#include <algorithm>

namespace modelrelay {

namespace {
bool isIdCharacter(QChar c) {
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' ||
           c == u'-';
}
} // namespace

bool ToolUseId::isValid(const QString &id) {
    return !id.isEmpty() && std::all_of(id.begin(), id.end(), isIdCharacter);
}

QString ToolUseId::sanitized(const QString &id) {
    if (id.isEmpty() || isValid(id))
        return id;
    QString cleaned = id;
    for (QChar &c : cleaned) {
        if (!isIdCharacter(c))
            c = u'_';
    }
    const QByteArray digest = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Sha256).toHex();
    return cleaned + u'_' + QString::fromLatin1(digest.left(8));
}

} // namespace modelrelay
