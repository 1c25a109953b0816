#include "RequestRecordFormatter.h"

#include "LogText.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString RequestRecordFormatter::line(const RequestRecord &r) {
    QStringList parts;
    parts << r.startedAt.toLocalTime().toString(u"HH:mm:ss.zzz"_s) << u"#%1"_s.arg(r.id) << r.endpoint;
    if (!r.clientModel.isEmpty())
        parts << (r.backendModel.isEmpty() ? r.clientModel
                                           : u"%1 -> %2"_s.arg(r.clientModel, r.backendModel));
    if (!r.route.isEmpty())
        parts << u"route=%1"_s.arg(r.route);
    if (!r.fellBackFrom().isEmpty())
        parts << u"fell-back-to=\"%1\""_s.arg(r.attempts.constLast().backendName);
    if (const int retries = r.retries(); retries > 0)
        parts << u"retried=%1"_s.arg(retries);
    if (r.endpoint == "messages"_L1)
        parts << (r.stream ? u"stream"_s : u"json"_s);
    parts << QString::number(r.status);
    if (r.estimatedInputTokens > 0)
        parts << u"in~%1"_s.arg(r.estimatedInputTokens);
    if (r.inputTokens)
        parts << u"in=%1"_s.arg(*r.inputTokens);
    if (r.outputTokens)
        parts << u"out=%1"_s.arg(*r.outputTokens);
    if (r.timeToFirstTokenMs >= 0)
        parts << u"ttft=%1ms"_s.arg(r.timeToFirstTokenMs);
    parts << (r.durationMs < 1000 ? u"%1ms"_s.arg(r.durationMs)
                                  : u"%1s"_s.arg(r.durationMs / 1000.0, 0, 'f', 2));
    if (!r.stopReason.isEmpty())
        parts << r.stopReason;
    if (!r.error.isEmpty())
        parts << u"error: "_s + r.error;
    return LogText::printable(parts.join(u' '));
}

QStringList RequestRecordFormatter::noteLines(const RequestRecord &r) {
    QStringList lines;
    lines.reserve(r.notes.size());
    for (const QString &note : r.notes)
        lines.append(LogText::printable(QString(u"    note: "_s + note)));
    return lines;
}

} // namespace modelrelay
