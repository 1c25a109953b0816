#include "LearnedLimits.h"

#include <QSettings>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
const QString kGroup = u"maxOutputTokens"_s;
// QSettings treats '/' and '\' in keys as separators; model names contain them ("ns/model").
QString keyOf(const QString &model) {
    return QString::fromLatin1(model.toUtf8().toPercentEncoding());
}
} // namespace

LearnedLimits::LearnedLimits(QString file)
    : m_file(std::move(file)) {
    if (m_file.isEmpty())
        return;
    QSettings settings(m_file, QSettings::IniFormat);
    settings.beginGroup(kGroup);
    for (const QString &key : settings.childKeys()) {
        if (const int limit = settings.value(key).toInt(); limit > 0)
            m_maxOutputTokens.insert(QString::fromUtf8(QByteArray::fromPercentEncoding(key.toLatin1())),
                                     limit);
    }
}

void LearnedLimits::learnMaxOutputTokens(const QString &model, int limit) {
    m_maxOutputTokens.insert(model, limit);
    if (m_file.isEmpty())
        return;
    QSettings settings(m_file, QSettings::IniFormat);
    settings.setValue(kGroup + u'/' + keyOf(model), limit);
}

void LearnedLimits::forget(const QString &model) {
    if (model.isEmpty())
        m_maxOutputTokens.clear();
    else
        m_maxOutputTokens.remove(model);
    if (m_file.isEmpty())
        return;
    QSettings settings(m_file, QSettings::IniFormat);
    settings.remove(model.isEmpty() ? kGroup : kGroup + u'/' + keyOf(model));
}

} // namespace modelrelay
