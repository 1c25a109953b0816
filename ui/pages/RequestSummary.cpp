#include "RequestSummary.h"

#include "records/SecretRedactor.h"

#include <QLocale>
#include <QStringList>

namespace modelrelay {

QString RequestSummary::text(const RequestRecord &r) {
    const QLocale locale;
    auto tokens = [&locale](const std::optional<int> &v) {
        return v ? locale.toString(*v) : tr("not reported");
    };
    QStringList lines;
    lines << tr("Request #%1 at %2").arg(r.id).arg(r.startedAt.toString(Qt::ISODateWithMs));
    // What went wrong first: it is what the user selected the row for.
    if (!r.error.isEmpty())
        lines << tr("Error: %1").arg(r.error) << QString();
    lines << tr("Endpoint:        %1").arg(r.endpoint);
    lines << tr("Client model:    %1").arg(r.clientModel);
    const QString backendModel = r.backendModel.isEmpty() ? tr("none") : r.backendModel;
    lines << (r.backendName.isEmpty() ? tr("Backend model:   %1").arg(backendModel)
                                      : tr("Backend model:   %1, on %2").arg(backendModel, r.backendName));
    if (!r.route.isEmpty())
        lines << tr("Route:           %1").arg(r.route);
    if (r.attempts.size() > 1) {
        lines << tr("Attempts:");
        for (const BackendAttempt &attempt : r.attempts)
            lines << tr("  • %1 on %2 at +%3 ms: %4")
                         .arg(attempt.backendModel, attempt.backendName)
                         .arg(attempt.atMs)
                         .arg(attempt.outcome.isEmpty() ? tr("answered") : attempt.outcome);
    }
    lines << tr("Mode:            %1").arg(r.stream ? tr("streaming (SSE)") : tr("JSON"));
    lines << tr("HTTP status:     %1").arg(r.status);
    lines << tr("Input tokens:    ~%1 estimated, %2 by the backend")
                 .arg(locale.toString(r.estimatedInputTokens), tokens(r.inputTokens));
    if (!r.tokenCountSource.isEmpty())
        lines << tr("Token count:     %1").arg(r.tokenCountSource);
    lines << tr("Output tokens:   %1").arg(tokens(r.outputTokens));
    lines << tr("First token:     %1")
                 .arg(r.timeToFirstTokenMs >= 0 ? tr("%1 ms").arg(r.timeToFirstTokenMs) : tr("none"));
    lines << tr("Duration:        %1 ms").arg(r.durationMs);
    if (!r.stopReason.isEmpty())
        lines << tr("Stop reason:     %1").arg(r.stopReason);
    if (!r.notes.isEmpty()) {
        lines << QString() << tr("Notes:");
        for (const QString &note : r.notes)
            lines << QStringLiteral("  • ") + note;
    }
    return QString::fromUtf8(SecretRedactor::redact(lines.join(QLatin1Char('\n')).toUtf8()));
}

} // namespace modelrelay
