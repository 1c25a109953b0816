// One request's facts as plain lines for the details pane (the live log's and the history's):
// what went wrong first, then models, route and attempts, tokens, times and notes; redacted.
#pragma once

#include "records/RequestRecord.h"

#include <QCoreApplication>
#include <QString>

namespace modelrelay {

class RequestSummary {
    Q_DECLARE_TR_FUNCTIONS(RequestSummary)
public:
    static QString text(const RequestRecord &record);
};

} // namespace modelrelay
