// What a backend request builder produces: the HTTP request to send, as plain data.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace modelrelay {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

struct BackendRequest {
    QUrl url;
    HttpHeaders headers; // besides Content-Type: application/json
    QByteArray body;     // compact JSON
};

} // namespace modelrelay
