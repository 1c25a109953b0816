// How one attempt against one backend ended: what the messages delivery decides on (send again
// capped, fall back to the next backend, or answer the error).
#pragma once

#include "anthropic/ApiError.h"
#include "records/RequestRecord.h"

#include <QByteArray>

namespace modelrelay {

struct ExchangeOutcome {
    enum class Kind {
        Answered,    // the client got its answer: complete, or ended with an error the exchange sent
        NotAnswered, // the backend failed before anything reached the client, and nothing was sent
        ClientGone,  // the client left; the backend request was aborted
    };
    Kind kind = Kind::Answered;
    RequestRecord record; // the attempt's record, as it ended
    // NotAnswered only:
    int backendStatus = 0;       // the backend's HTTP status; 0 when there was no HTTP answer
    QByteArray backendErrorBody; // its error body, capped
    ApiError error;              // what the client gets unless the delivery tries again
};

} // namespace modelrelay
