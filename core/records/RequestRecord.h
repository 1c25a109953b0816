// One finished request as the request log shows it; sent from the worker thread by value.
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace modelrelay {

struct RequestRecord {
    quint64 id = 0;
    QDateTime startedAt;
    QString endpoint; // "messages" | "count_tokens"
    QString clientModel;
    QString backendModel;
    QString backendName; // profile name
    bool stream = false;
    int status = 0; // HTTP status sent to the client (200 even if a stream later failed)
    int estimatedInputTokens = 0;
    std::optional<int> inputTokens;  // backend-reported
    std::optional<int> outputTokens; // backend-reported
    qint64 timeToFirstTokenMs = -1;  // first content event sent to the client; -1 if none
    qint64 durationMs = 0;
    QString stopReason;
    QString error;     // the message the client got, empty on success
    QStringList notes; // degradations: dropped fields, capped max_tokens, ...
};

} // namespace modelrelay

Q_DECLARE_METATYPE(modelrelay::RequestRecord)
