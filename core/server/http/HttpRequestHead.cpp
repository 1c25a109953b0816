#include "HttpRequestHead.h"

namespace modelrelay {

namespace {
bool sameName(const QByteArray &a, QByteArrayView b) {
    return a.size() == b.size() && qstrnicmp(a.constData(), a.size(), b.data(), b.size()) == 0;
}
} // namespace

QByteArray HttpRequestHead::header(QByteArrayView name) const {
    for (const auto &[key, value] : headers) {
        if (sameName(key, name))
            return value;
    }
    return {};
}

QList<QByteArray> HttpRequestHead::headerValues(QByteArrayView name) const {
    QList<QByteArray> values;
    for (const auto &[key, value] : headers) {
        if (sameName(key, name))
            values.append(value);
    }
    return values;
}

} // namespace modelrelay
