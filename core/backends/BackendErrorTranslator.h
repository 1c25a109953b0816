// Turns a backend failure (an HTTP error answer, a network error, a timeout, an error inside a
// stream) into the Anthropic error the client sees. Claude Code prints these messages verbatim,
// so each says what failed, where, and what to do about it.
#pragma once

#include "StreamDecoder.h"
#include "anthropic/ApiError.h"
#include "config/BackendProfile.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QString>

namespace modelrelay {

struct BackendContext {
    BackendKind kind = BackendKind::OpenAI;
    QString url; // the backend's base URL, as configured
    QString backendModel;
};

class BackendErrorTranslator {
public:
    static ApiError fromHttpStatus(const BackendContext &context, int status, const QByteArray &body);
    static ApiError fromNetworkError(const BackendContext &context, QNetworkReply::NetworkError error,
                                     const QString &errorString);
    static ApiError firstByteTimeout(const BackendContext &context, int timeoutMs);
    static ApiError streamStalled(const BackendContext &context, int timeoutMs);
    static ApiError streamError(const BackendContext &context, const QString &backendMessage,
                                const QString &anthropicType = {});
    // What ends an answer the decoder cannot complete: the backend's error (its Anthropic type kept)
    // or the relay's own finding about the answer, each said as what it is.
    static ApiError answerError(const BackendContext &context, const StreamDecoder &decoder);
    static ApiError streamCut(const BackendContext &context);

    // The backend's own message from an error body: JSON {"error":{"message"}}, {"error":"..."},
    // {"message"}, {"detail"}; HTML stripped to text; at most maxChars.
    static QString excerpt(const QByteArray &body, int maxChars = 300);

private:
    static ApiError fromStatusCode(const BackendContext &context, int status, const QByteArray &body);
};

} // namespace modelrelay
