#include "JsonLineReader.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

std::optional<QJsonObject> JsonLineReader::read(QByteArrayView line) {
    QJsonParseError error;
    // The parser copies what it keeps: the line need not be copied first.
    QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), line.size()), &error);
    if (error.error == QJsonParseError::IllegalUTF8String) {
        document = QJsonDocument::fromJson(QString::fromUtf8(line).toUtf8(), &error);
        if (error.error == QJsonParseError::NoError && document.isObject())
            ++m_repaired;
    }
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        ++m_skipped;
        return std::nullopt;
    }
    return document.object();
}

QStringList JsonLineReader::notes() const {
    QStringList notes;
    if (m_skipped > 0)
        notes.append(u"skipped %1 line(s) of the backend's answer that were not JSON"_s.arg(m_skipped));
    if (m_repaired > 0)
        notes.append(u"the backend sent invalid UTF-8 in %1 line(s): shown as U+FFFD"_s.arg(m_repaired));
    return notes;
}

} // namespace modelrelay
