// Hides anything that looks like a credential in recorded bodies before they leave ModelRelay
// (bug-report exports). Keys travel in headers, which are not recorded; this is the second line.
#pragma once

#include "RequestRecord.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <utility>

namespace modelrelay {

class SecretRedactor {
public:
    static inline const QString kRedacted = QStringLiteral("[redacted]");

    // Byte ranges [begin, end) of secrets in text: values of key-like fields ("api_key": "…",
    // password=…), Bearer tokens and sk-… keys. Sorted, not overlapping.
    static QList<std::pair<qsizetype, qsizetype>> secretSpans(const QByteArray &text);
    static QByteArray redact(const QByteArray &text);
    // The same text cut into pieces (chunks as they were read): a secret split across pieces is
    // still found; the piece where it starts gets the marker, the others lose their part of it.
    static QList<QByteArray> redactPieces(const QList<QByteArray> &pieces);
    // The same for timed pieces (chunks and writes of a record); omission markers pass unchanged.
    static QList<TimedBytes> redactTimed(const QList<TimedBytes> &pieces);
    // JSON: members with key-like names become "[redacted]", strings are redacted as text.
    static QJsonValue redact(const QJsonValue &value);
    static bool isSecretName(const QString &name);
};

} // namespace modelrelay
