#include "IncomingRequest.h"

#include "anthropic/ApiError.h"

namespace modelrelay {

void IncomingRequest::answerError(const ApiError &error) {
    const QByteArray body = error.toJson();
    record.status = error.httpStatus();
    record.error = error.message;
    record.durationMs = clock.elapsed();
    writer->sendComplete(error.httpStatus(), QByteArrayLiteral("application/json"), body);
    RequestRecord::appendCapped(record.response, body);
    qsizetype recorded = 0;
    for (const TimedBytes &write : std::as_const(record.clientWrites))
        recorded += write.bytes.size();
    RequestRecord::appendTimedCapped(record.clientWrites, recorded, clock.elapsed(), body);
}

} // namespace modelrelay
