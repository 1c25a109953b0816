// A request as the history database gives it back: its row id and its record (with the exchange
// only when it was asked for and is still kept).
#pragma once

#include "records/RequestRecord.h"

#include <QMetaType>

namespace modelrelay {

struct StoredRequest {
    qint64 rowId = 0;
    RequestRecord record;
    bool exchangeKept = false; // the bodies are still on disk (they go first when the size cap is reached)
};

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::StoredRequest)
