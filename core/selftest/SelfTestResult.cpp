#include "SelfTestResult.h"

namespace modelrelay {

QString selfTestStatusName(SelfTestStatus status) {
    switch (status) {
    case SelfTestStatus::Passed:
        return QStringLiteral("PASS");
    case SelfTestStatus::Failed:
        return QStringLiteral("FAIL");
    case SelfTestStatus::Unsupported:
        return QStringLiteral("NOT SUPPORTED");
    case SelfTestStatus::Skipped:
        return QStringLiteral("SKIPPED");
    }
    return {};
}

bool allRequiredPassed(const QList<SelfTestResult> &results) {
    if (results.isEmpty())
        return false;
    for (const SelfTestResult &r : results) {
        if (r.required && r.status != SelfTestStatus::Passed)
            return false;
    }
    return true;
}

} // namespace modelrelay
