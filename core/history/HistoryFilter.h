// Which stored requests to show, export or count: a time range and what the user typed or picked.
#pragma once

#include <QDateTime>
#include <QString>

namespace modelrelay {

struct HistoryFilter {
    enum class Outcome { Any, Succeeded, Failed };

    QDateTime from;  // invalid: from the oldest
    QDateTime to;    // invalid: up to now; exclusive
    QString text;    // in the error, warning, notes or model names (case-insensitive)
    QString model;   // exact backend (or client) model name; empty: any
    QString backend; // exact profile name; empty: any
    Outcome outcome = Outcome::Any;

    friend bool operator==(const HistoryFilter &, const HistoryFilter &) = default;
};

} // namespace modelrelay
