// One client request the front door admitted and read whole, with the writer for its response:
// what a route handler takes over.
#pragma once

#include "backends/BackendRequest.h"
#include "http/ResponseWriter.h"
#include "records/RequestRecord.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>
#include <memory>

namespace modelrelay {

struct ApiError;

struct IncomingRequest {
    QByteArray method;
    QString path;
    QString query;       // after '?', e.g. "beta=true"
    HttpHeaders headers; // as received; they hold credentials: never log them
    QByteArray body;
    std::unique_ptr<ResponseWriter> writer;
    QElapsedTimer clock; // started at the request's first byte
    RequestRecord record;

    // Answers with an Anthropic error and completes the record with it.
    void answerError(const ApiError &error);
};

} // namespace modelrelay
