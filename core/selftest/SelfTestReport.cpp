#include "SelfTestReport.h"

#include <QStringList>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int kTitleWidth = 40;
constexpr int kStatusWidth = 14;
constexpr int kTimeWidth = 8;

QString line(const QString &title, const QString &status, const QString &time, const QString &detail) {
    return title.leftJustified(kTitleWidth) + u' ' + status.leftJustified(kStatusWidth) +
           time.rightJustified(kTimeWidth) + u"  "_s + detail;
}
} // namespace

QString SelfTestReport::header() {
    return line(u"capability"_s, u"result"_s, u"time"_s, u"detail"_s);
}

QString SelfTestReport::row(const SelfTestResult &r) {
    const QString title = r.required ? r.title : r.title + u" (optional)"_s;
    const QString time = r.status == SelfTestStatus::Skipped
                             ? u"-"_s
                             : QString::number(r.durationMs / 1000.0, 'f', 1) + u" s"_s;
    return line(title, selfTestStatusName(r.status), time, r.detail);
}

QString SelfTestReport::summary(const QList<SelfTestResult> &results) {
    QStringList notPassed;
    int required = 0;
    for (const SelfTestResult &r : results) {
        if (!r.required)
            continue;
        ++required;
        if (r.status != SelfTestStatus::Passed)
            notPassed.append(r.title);
    }
    if (notPassed.isEmpty())
        return u"All %1 required capabilities passed."_s.arg(required);
    return u"%1 of %2 required capabilities did not pass: %3."_s.arg(notPassed.size())
        .arg(required)
        .arg(notPassed.join("; "_L1));
}

} // namespace modelrelay
