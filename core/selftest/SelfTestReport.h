// The self-test's results as a plain-text table for a terminal.
#pragma once

#include "SelfTestResult.h"

namespace modelrelay {

class SelfTestReport {
public:
    static QString header();
    static QString row(const SelfTestResult &result);
    // e.g. "All 6 required capabilities passed." or "2 of 6 required capabilities failed: ..."
    static QString summary(const QList<SelfTestResult> &results);
};

} // namespace modelrelay
