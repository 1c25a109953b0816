// Test helper: parses an Anthropic SSE body and checks the rules every stream must follow.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace modelrelay::testing {

struct SseEvent {
    QString name;
    QJsonObject data;
};

inline QList<SseEvent> parseSse(const QByteArray &body) {
    QList<SseEvent> events;
    const QList<QByteArray> frames = body.split('\n');
    SseEvent current;
    for (const QByteArray &rawLine : frames) {
        const QByteArray line = rawLine.endsWith('\r') ? rawLine.chopped(1) : rawLine;
        if (line.startsWith("event: "))
            current.name = QString::fromUtf8(line.mid(7));
        else if (line.startsWith("data: "))
            current.data = QJsonDocument::fromJson(line.mid(6)).object();
        else if (line.isEmpty() && !current.name.isEmpty()) {
            events.append(current);
            current = {};
        }
    }
    return events;
}

// Empty when the stream is well-formed, else what is wrong: message_start first; blocks with
// indices 0,1,2,... each started, then deltas of its own index, then stopped, never interleaved;
// tool_use input that parses as an object; then one message_delta and message_stop, or an error
// event last (after every block was stopped).
inline QString streamProblem(const QList<SseEvent> &events) {
    if (events.isEmpty() || events.first().name != QStringLiteral("message_start"))
        return QStringLiteral("no message_start first");
    int open = -1;
    int next = 0;
    QString toolJson;
    bool toolOpen = false;
    for (qsizetype i = 1; i < events.size(); ++i) {
        const SseEvent &e = events[i];
        const int index = e.data.value(QStringLiteral("index")).toInt(-1);
        if (e.name == QStringLiteral("ping"))
            continue;
        if (e.name == QStringLiteral("content_block_start")) {
            if (open != -1)
                return QStringLiteral("block %1 started while %2 open").arg(index).arg(open);
            if (index != next)
                return QStringLiteral("block index %1, expected %2").arg(index).arg(next);
            open = index;
            ++next;
            toolOpen = e.data.value(QStringLiteral("content_block"))
                           .toObject()
                           .value(QStringLiteral("type"))
                           .toString() == QStringLiteral("tool_use");
            toolJson.clear();
        } else if (e.name == QStringLiteral("content_block_delta")) {
            if (index != open)
                return QStringLiteral("delta for %1 while %2 open").arg(index).arg(open);
            toolJson += e.data.value(QStringLiteral("delta"))
                            .toObject()
                            .value(QStringLiteral("partial_json"))
                            .toString();
        } else if (e.name == QStringLiteral("content_block_stop")) {
            if (index != open)
                return QStringLiteral("stop for %1 while %2 open").arg(index).arg(open);
            if (toolOpen && !QJsonDocument::fromJson(toolJson.toUtf8()).isObject())
                return QStringLiteral("tool input is not a JSON object: %1").arg(toolJson);
            open = -1;
        } else if (e.name == QStringLiteral("message_delta")) {
            if (open != -1)
                return QStringLiteral("message_delta with block %1 open").arg(open);
            if (i + 2 != events.size() || events[i + 1].name != QStringLiteral("message_stop"))
                return QStringLiteral("message_delta not followed by a final message_stop");
            return {};
        } else if (e.name == QStringLiteral("error")) {
            // A block may still be open: Anthropic's API fails that way, and Claude Code only
            // retries the request when the failed block was not closed.
            if (i + 1 != events.size())
                return QStringLiteral("events after the error event");
            return {};
        } else {
            return QStringLiteral("unexpected event '%1'").arg(e.name);
        }
    }
    return QStringLiteral("stream ended without message_stop or error");
}

// The concatenated text of all text_delta events.
inline QString streamText(const QList<SseEvent> &events) {
    QString text;
    for (const SseEvent &e : events) {
        const QJsonObject delta = e.data.value(QStringLiteral("delta")).toObject();
        if (delta.value(QStringLiteral("type")).toString() == QStringLiteral("text_delta"))
            text += delta.value(QStringLiteral("text")).toString();
    }
    return text;
}

} // namespace modelrelay::testing
