// How much request history is kept: rows older than `days` go, and past `maxMegabytes` the
// oldest exchanges (bodies) go first, then the oldest rows.
#pragma once

#include <QMetaType>

namespace modelrelay {

struct HistoryRetention {
    int days = 30;
    int maxMegabytes = 200;
    friend bool operator==(const HistoryRetention &, const HistoryRetention &) = default;
};

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::HistoryRetention)
