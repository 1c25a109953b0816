// One client request the front door admitted (headers checked, body within its limit), with the
// writer for its response: what a route handler takes over.
#pragma once

#include "HttpCompat.h"
#include "backends/BackendRequest.h"
#include "records/RequestRecord.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>
#include <memory>

namespace modelrelay {

struct IncomingRequest {
    QByteArray method;
    QString path;
    HttpHeaders headers; // as received; hold credentials, never logged
    QByteArray body;
    std::unique_ptr<ResponseWriter> writer;
    QElapsedTimer clock; // started when the request arrived
    RequestRecord record;

    // Answers with an Anthropic error and completes the record with it.
    void answerError(const struct ApiError &error);
};

} // namespace modelrelay
