// Waiting for a HistoryStore in tests: it opens (and checks) its file on its own thread.
#pragma once

#include "history/HistoryStore.h"

#include <QtTest>

namespace modelrelay::testing {

inline void waitReady(HistoryStore &store) {
    QTRY_VERIFY_WITH_TIMEOUT(store.isReady() || !store.problem().isEmpty(), 10000);
    QVERIFY2(store.isReady(), qPrintable(store.problem()));
}

} // namespace modelrelay::testing
