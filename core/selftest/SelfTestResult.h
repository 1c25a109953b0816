// One line of the self-test's report: a capability Claude Code needs, and whether the backend
// model has it, with the reason in words a user can act on.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace modelrelay {

enum class SelfTestStatus {
    Passed,
    Failed,
    Unsupported, // the backend said so: a limit of the model or server, not a proxy fault
    Skipped,     // not tried, because something it depends on failed first
};

QString selfTestStatusName(SelfTestStatus status); // "PASS", "FAIL", "NOT SUPPORTED", "SKIPPED"

// What a check concluded, before it is timed and named.
struct SelfTestVerdict {
    SelfTestStatus status = SelfTestStatus::Failed;
    QString detail;
};

struct SelfTestResult {
    QString capability; // stable id, e.g. "tool-use"
    QString title;      // e.g. "Tool call (first turn, full tool list)"
    bool required = true;
    SelfTestStatus status = SelfTestStatus::Skipped;
    QString detail;
    qint64 durationMs = 0;
};

// True when every required capability passed; optional ones may fail or be unsupported.
bool allRequiredPassed(const QList<SelfTestResult> &results);

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::SelfTestResult)
