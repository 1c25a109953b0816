#include "BackendErrorTranslator.h"

#include "config/BackendProfile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <optional>
#include <utility>

namespace modelrelay {

namespace {

QString where(const BackendContext &c) {
    return QStringLiteral("the %1 backend at %2").arg(backendKindTitle(c.kind), c.url);
}

QString capitalized(QString s) {
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

QString withDetail(const QString &text, const QString &detail) {
    return detail.isEmpty() ? text : text + QStringLiteral(": ") + detail;
}

QString stringField(const QJsonObject &o, const char *key) {
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? v.toString() : QString();
}

// llama.cpp says "the request exceeds the available context size" with n_prompt_tokens/n_ctx;
// vLLM and OpenAI say "maximum context length is M tokens ... requested/resulted in N tokens".
std::optional<QString> contextOverflowMessage(const QByteArray &body, const QString &text) {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonObject error = root.value(QLatin1String("error")).toObject();
    if (error.contains(QLatin1String("n_prompt_tokens")) && error.contains(QLatin1String("n_ctx"))) {
        return QStringLiteral("prompt is too long: %1 tokens > %2 maximum")
            .arg(error.value(QLatin1String("n_prompt_tokens")).toInteger())
            .arg(error.value(QLatin1String("n_ctx")).toInteger());
    }
    static const QRegularExpression maxRe(QStringLiteral("maximum context length is (\\d+)"));
    static const QRegularExpression askedRe(
        QStringLiteral("(?:requested|resulted in|you have) (\\d+) tokens"));
    const auto maxMatch = maxRe.match(text);
    const auto askedMatch = askedRe.match(text);
    if (maxMatch.hasMatch() && askedMatch.hasMatch())
        return QStringLiteral("prompt is too long: %1 tokens > %2 maximum")
            .arg(askedMatch.captured(1), maxMatch.captured(1));
    if (text.contains(QLatin1String("exceeds the available context size"), Qt::CaseInsensitive) ||
        text.contains(QLatin1String("context length exceeded"), Qt::CaseInsensitive) ||
        text.contains(QLatin1String("prompt is too long"), Qt::CaseInsensitive))
        return QStringLiteral("prompt is too long for the model's context window: %1").arg(text);
    return std::nullopt;
}

std::optional<ApiError::Type> anthropicErrorType(const QString &type) {
    static const std::pair<const char *, ApiError::Type> known[] = {
        {"invalid_request_error", ApiError::Type::InvalidRequest},
        {"authentication_error", ApiError::Type::Authentication},
        {"permission_error", ApiError::Type::Permission},
        {"not_found_error", ApiError::Type::NotFound},
        {"request_too_large", ApiError::Type::RequestTooLarge},
        {"rate_limit_error", ApiError::Type::RateLimit},
        {"api_error", ApiError::Type::Api},
        {"overloaded_error", ApiError::Type::Overloaded},
    };
    for (const auto &[name, value] : known) {
        if (type == QLatin1String(name))
            return value;
    }
    return std::nullopt;
}

// {"type":"error","error":{"type":"not_found_error","message":...}}
std::optional<ApiError::Type> anthropicErrorType(const QByteArray &body) {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (root.value(QLatin1String("type")).toString() != QLatin1String("error"))
        return std::nullopt;
    return anthropicErrorType(
        root.value(QLatin1String("error")).toObject().value(QLatin1String("type")).toString());
}

} // namespace

QString BackendErrorTranslator::excerpt(const QByteArray &body, int maxChars) {
    QString text;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonObject root = doc.object();
        const QJsonValue error = root.value(QLatin1String("error"));
        if (error.isObject())
            text = stringField(error.toObject(), "message");
        else if (error.isString())
            text = error.toString();
        if (text.isEmpty())
            text = stringField(root, "message");
        if (text.isEmpty())
            text = stringField(root, "detail");
        if (text.isEmpty())
            text = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    } else {
        text = QString::fromUtf8(body);
        if (text.contains(QLatin1Char('<'))) {
            static const QRegularExpression tags(QStringLiteral("<(script|style)[^>]*>.*?</\\1>|<[^>]*>"),
                                                 QRegularExpression::DotMatchesEverythingOption |
                                                     QRegularExpression::CaseInsensitiveOption);
            text.replace(tags, QStringLiteral(" "));
        }
    }
    text = text.simplified();
    if (text.size() > maxChars)
        text = text.left(maxChars - 1) + QChar(0x2026);
    return text;
}

ApiError BackendErrorTranslator::fromHttpStatus(const BackendContext &c, int status, const QByteArray &body) {
    ApiError error = fromStatusCode(c, status, body);
    // An Anthropic-native backend already names the error type the client expects: keep it.
    if (c.kind == BackendKind::Anthropic) {
        if (const auto type = anthropicErrorType(body)) {
            error.type = *type;
            if (*type != ApiError::Type::Api)
                error.statusOverride = 0;
        }
    }
    return error;
}

ApiError BackendErrorTranslator::fromStatusCode(const BackendContext &c, int status, const QByteArray &body) {
    const QString detail = excerpt(body);
    const QString head =
        QStringLiteral("%1 answered HTTP %2 for model '%3'").arg(where(c)).arg(status).arg(c.backendModel);
    const QString said = withDetail(capitalized(head), detail);

    if (status == 400 || status == 422) {
        if (detail.contains(QLatin1String("max_tokens"), Qt::CaseInsensitive) ||
            detail.contains(QLatin1String("max_completion_tokens"), Qt::CaseInsensitive) ||
            detail.contains(QLatin1String("num_predict"), Qt::CaseInsensitive))
            return ApiError::invalidRequest(
                said + QStringLiteral(
                           ". The model accepts fewer output tokens than requested: set a max output "
                           "tokens cap for it (model map \"max_tokens\", or MODELRELAY_MAX_OUTPUT_TOKENS)."));
        if (const auto overflow = contextOverflowMessage(body, detail))
            return ApiError::invalidRequest(*overflow);
        if (detail.contains(QLatin1String("reasoning_effort"), Qt::CaseInsensitive) ||
            detail.contains(QLatin1String("support thinking"), Qt::CaseInsensitive))
            return ApiError::invalidRequest(
                said + QStringLiteral(". The backend refuses a reasoning effort: turn passing it on off for "
                                      "this backend (\"Reasoning\" on the backend page, or "
                                      "MODELRELAY_REASONING_EFFORT=off)."));
        return ApiError::invalidRequest(said);
    }
    if (status == 401 || status == 403) {
        ApiError e{
            status == 401 ? ApiError::Type::Authentication : ApiError::Type::Permission,
            said + QStringLiteral(". Check the backend's API key (PROVIDER_API_KEY, or the API key of this "
                                  "backend profile)."),
            0};
        return e;
    }
    if (status == 404) {
        const bool modelProblem = detail.contains(QLatin1String("model"), Qt::CaseInsensitive);
        QString hint;
        if (modelProblem && c.kind == BackendKind::Ollama)
            hint = QStringLiteral(". Pull it with `ollama pull %1`, or map the Claude model to one that "
                                  "`ollama list` shows.")
                       .arg(c.backendModel);
        else if (modelProblem)
            hint =
                QStringLiteral(". Map the Claude model to a model this backend serves (see its /v1/models).");
        else if (c.kind == BackendKind::OpenAI)
            hint = QStringLiteral(
                ". Check the base URL: OpenAI-compatible servers usually need it to end with /v1.");
        else if (c.kind == BackendKind::Anthropic)
            hint = QStringLiteral(". Check the base URL: it should be the server's root (ModelRelay adds "
                                  "/v1/messages), and the server must speak the Anthropic Messages API "
                                  "(Ollama 0.14 or later, llama.cpp server, vLLM, LM Studio).");
        else
            hint = QStringLiteral(". Check the base URL: it should be the Ollama server's root, e.g. "
                                  "http://127.0.0.1:11434.");
        return ApiError::notFound(said + hint);
    }
    if (status == 408 || status == 504)
        return ApiError::api(said, 504);
    if (status == 413)
        return {ApiError::Type::RequestTooLarge, said, 0};
    if (status == 429)
        return {ApiError::Type::RateLimit, said, 0};
    if (status == 503 || status == 529)
        return {ApiError::Type::Overloaded,
                said + QStringLiteral(" (the backend is busy or still loading the model)"), 0};
    if (status >= 500)
        return ApiError::api(said, status == 500 ? 500 : 502);
    return ApiError::api(said, 502);
}

ApiError BackendErrorTranslator::fromNetworkError(const BackendContext &c, QNetworkReply::NetworkError error,
                                                  const QString &errorString) {
    const QString fixUrl =
        c.kind == BackendKind::Ollama
            ? QStringLiteral("Is Ollama running? Start it with `ollama serve`, or set the "
                             "backend's base URL (PROVIDER_BASE_URL).")
            : QStringLiteral("Is the server running? Start it, or set the backend's base URL "
                             "(PROVIDER_BASE_URL).");
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return ApiError::api(QStringLiteral("ModelRelay could not connect to %1 (connection refused). %2")
                                 .arg(where(c), fixUrl),
                             502);
    case QNetworkReply::HostNotFoundError:
        return ApiError::api(
            QStringLiteral("ModelRelay could not find the host of %1 (DNS lookup failed). %2")
                .arg(where(c), fixUrl),
            502);
    case QNetworkReply::RemoteHostClosedError:
        return ApiError::api(QStringLiteral("%1 closed the connection before answering (model '%2').")
                                 .arg(capitalized(where(c)), c.backendModel),
                             502);
    case QNetworkReply::SslHandshakeFailedError:
        return ApiError::api(
            QStringLiteral("TLS handshake with %1 failed: %2. Check the URL's scheme and the "
                           "server's certificate.")
                .arg(where(c), errorString),
            502);
    case QNetworkReply::TimeoutError:
        return ApiError::api(QStringLiteral("%1 timed out: %2").arg(capitalized(where(c)), errorString), 504);
    default:
        break;
    }
    return ApiError::api(QStringLiteral("Request to %1 failed: %2").arg(where(c), errorString), 502);
}

ApiError BackendErrorTranslator::firstByteTimeout(const BackendContext &c, int timeoutMs) {
    return ApiError::api(
        QStringLiteral("%1 sent nothing for %2 s for model '%3' (PROVIDER_TIMEOUT_MS=%4). The "
                       "model may still be loading, or the prompt is too large for this machine.")
            .arg(capitalized(where(c)))
            .arg(timeoutMs / 1000.0, 0, 'f', 1)
            .arg(c.backendModel)
            .arg(timeoutMs),
        504);
}

ApiError BackendErrorTranslator::streamStalled(const BackendContext &c, int timeoutMs) {
    return ApiError::api(
        QStringLiteral("%1 stopped sending in the middle of the answer (nothing for %2 s, model "
                       "'%3').")
            .arg(capitalized(where(c)))
            .arg(timeoutMs / 1000.0, 0, 'f', 1)
            .arg(c.backendModel),
        504);
}

ApiError BackendErrorTranslator::streamError(const BackendContext &c, const QString &backendMessage,
                                             const QString &anthropicType) {
    const QString head = QStringLiteral("%1 reported an error during the answer (model '%2')")
                             .arg(capitalized(where(c)), c.backendModel);
    if (const auto overflow = contextOverflowMessage(QByteArray(), backendMessage))
        return ApiError::invalidRequest(*overflow);
    // An Anthropic-compatible backend's own type says what the client should do (retry when
    // overloaded): keep it.
    if (const auto type = anthropicErrorType(anthropicType); type && *type != ApiError::Type::Api)
        return {*type, withDetail(head, backendMessage), 0};
    return ApiError::api(withDetail(head, backendMessage), 502);
}

ApiError BackendErrorTranslator::answerError(const BackendContext &c, const StreamDecoder &decoder) {
    if (decoder.errorIsTheRelays())
        return ApiError::api(QStringLiteral("ModelRelay could not relay the answer of model '%1' from %2: %3")
                                 .arg(c.backendModel, where(c), decoder.backendError()),
                             502);
    return streamError(c, decoder.backendError(), decoder.backendErrorType());
}

ApiError BackendErrorTranslator::streamCut(const BackendContext &c) {
    return ApiError::api(
        QStringLiteral("%1 ended the answer before it was complete (model '%2'): the connection "
                       "closed without a finish reason.")
            .arg(capitalized(where(c)), c.backendModel),
        502);
}

} // namespace modelrelay
