#include "TokenCalibration.h"

#include <QSettings>
#include <cmath>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
// QSettings treats '/' and '\' in keys as group separators; model names contain both ("ns/model").
QString settingsGroup(const QString &model) {
    return u"models/"_s + QString::fromLatin1(model.toUtf8().toPercentEncoding());
}
} // namespace

TokenCalibration::TokenCalibration(QString file)
    : m_file(std::move(file)) {
    load();
}

TokenCalibration::~TokenCalibration() {
    if (m_unsaved > 0)
        save();
}

double TokenCalibration::ratioOf(const Stats &s) {
    return (s.actualTokens + kPriorTokens) / (s.estimatedTokens + kPriorTokens);
}

void TokenCalibration::observe(const QString &model, int estimated, int actual) {
    if (estimated < kMinSampleTokens || actual <= 0 || actual * 3 < estimated || actual > estimated * 3)
        return;
    Stats &s = m_models[model];
    const double error = std::abs(double(actual - estimated)) / actual;
    s.meanAbsoluteError =
        s.samples == 0 ? error
                       : s.meanAbsoluteError + (error - s.meanAbsoluteError) / std::min(s.samples + 1, 50);
    s.estimatedTokens = s.estimatedTokens * kDecay + estimated;
    s.actualTokens = s.actualTokens * kDecay + actual;
    s.ratio = ratioOf(s);
    ++s.samples;
    // Early samples change the most; later ones are written now and then, not on every request.
    if (++m_unsaved >= 10 || s.samples <= 3)
        save();
}

int TokenCalibration::calibrated(const QString &model, int estimate) const {
    const auto it = m_models.constFind(model);
    if (it == m_models.constEnd())
        return estimate;
    return int(std::lround(estimate * it->ratio));
}

std::optional<TokenCalibration::Stats> TokenCalibration::stats(const QString &model) const {
    const auto it = m_models.constFind(model);
    if (it == m_models.constEnd())
        return std::nullopt;
    return *it;
}

void TokenCalibration::forget(const QString &model) {
    if (model.isEmpty())
        m_models.clear();
    else
        m_models.remove(model);
    if (m_file.isEmpty())
        return;
    QSettings settings(m_file, QSettings::IniFormat);
    settings.remove(model.isEmpty() ? u"models"_s : settingsGroup(model));
}

void TokenCalibration::load() {
    if (m_file.isEmpty())
        return;
    QSettings settings(m_file, QSettings::IniFormat);
    settings.beginGroup(u"models"_s);
    for (const QString &group : settings.childGroups()) {
        settings.beginGroup(group);
        Stats s;
        s.samples = settings.value(u"samples"_s).toInt();
        s.ratio = settings.value(u"ratio"_s, 1.0).toDouble();
        s.meanAbsoluteError = settings.value(u"meanAbsoluteError"_s).toDouble();
        s.estimatedTokens = settings.value(u"estimatedTokens"_s, -1.0).toDouble();
        s.actualTokens = settings.value(u"actualTokens"_s).toDouble();
        if (s.estimatedTokens < 0) {
            // Written before ratios were weighted by size, maybe from one tiny request: worth one prior.
            s.estimatedTokens = kPriorTokens;
            s.actualTokens = kPriorTokens * s.ratio;
        }
        s.ratio = ratioOf(s);
        settings.endGroup();
        if (s.samples > 0 && s.ratio > 0)
            m_models.insert(QString::fromUtf8(QByteArray::fromPercentEncoding(group.toLatin1())), s);
    }
}

void TokenCalibration::save() {
    if (m_file.isEmpty())
        return;
    QSettings settings(m_file, QSettings::IniFormat);
    for (auto it = m_models.constBegin(); it != m_models.constEnd(); ++it) {
        settings.beginGroup(settingsGroup(it.key()));
        settings.setValue(u"samples"_s, it->samples);
        settings.setValue(u"ratio"_s, it->ratio);
        settings.setValue(u"meanAbsoluteError"_s, it->meanAbsoluteError);
        settings.setValue(u"estimatedTokens"_s, it->estimatedTokens);
        settings.setValue(u"actualTokens"_s, it->actualTokens);
        settings.endGroup();
    }
    m_unsaved = 0;
}

} // namespace modelrelay
