// What a backend request builder produces: the HTTP request to send, as plain data.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace modelrelay {

struct BackendRequest {
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // besides Content-Type: application/json
    QByteArray body;                              // compact JSON
};

} // namespace modelrelay
