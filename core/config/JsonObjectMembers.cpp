#include "JsonObjectMembers.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay {

namespace {

class Scanner {
public:
    explicit Scanner(const QByteArray &json)
        : m_json(json) {}

    QList<JsonMember> members() {
        QList<JsonMember> result;
        skipByteOrderMark();
        skipSpace();
        if (!take('{'))
            return {};
        skipSpace();
        if (take('}'))
            return result;
        while (m_pos < m_json.size()) {
            skipSpace();
            const qsizetype keyStart = m_pos;
            if (keyStart >= m_json.size() || m_json[keyStart] != '"')
                return {};
            skipString();
            if (m_pos > m_json.size())
                return {};
            const QByteArray rawKey = m_json.sliced(keyStart, m_pos - keyStart);
            skipSpace();
            if (!take(':'))
                return {};
            skipSpace();
            const qsizetype valueStart = m_pos;
            skipValue();
            if (m_pos > m_json.size())
                return {};
            result.append({decodeKey(rawKey), m_json.sliced(valueStart, m_pos - valueStart).trimmed(),
                           keyStart, valueStart});
            skipSpace();
            if (!take(','))
                break;
        }
        return result;
    }

private:
    static QString decodeKey(const QByteArray &quoted) {
        if (!quoted.contains('\\'))
            return QString::fromUtf8(quoted.sliced(1, quoted.size() - 2));
        return QJsonDocument::fromJson('[' + quoted + ']').array().at(0).toString();
    }

    bool take(char c) {
        if (m_pos < m_json.size() && m_json[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    // Qt's parser accepts a leading UTF-8 BOM, which Windows editors write into MODEL_MAP_FILE.
    void skipByteOrderMark() {
        if (m_json.startsWith("\xEF\xBB\xBF"))
            m_pos = 3;
    }

    void skipSpace() {
        while (m_pos < m_json.size() && (m_json[m_pos] == ' ' || m_json[m_pos] == '\t' ||
                                         m_json[m_pos] == '\n' || m_json[m_pos] == '\r'))
            ++m_pos;
    }

    // From an opening quote to just after its closing quote.
    void skipString() {
        ++m_pos;
        while (m_pos < m_json.size() && m_json[m_pos] != '"')
            m_pos += m_json[m_pos] == '\\' ? 2 : 1;
        ++m_pos;
    }

    // To the ',' or '}' that ends this member's value.
    void skipValue() {
        int depth = 0;
        while (m_pos < m_json.size()) {
            const char c = m_json[m_pos];
            if (c == '"') {
                skipString();
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0)
                    return;
                --depth;
            } else if (c == ',' && depth == 0) {
                return;
            }
            ++m_pos;
        }
    }

    const QByteArray &m_json;
    qsizetype m_pos = 0;
};

} // namespace

QList<JsonMember> JsonObjectMembers::read(const QByteArray &json) {
    return Scanner(json).members();
}

} // namespace modelrelay
