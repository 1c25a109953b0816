#include "FakeAnthropicWire.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace modelrelay::testing {

namespace {

QByteArray compact(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray event(const QJsonObject &data) {
    return "event: " + data.value("type").toString().toUtf8() + "\ndata: " + compact(data) + "\n\n";
}

// The scripted finish reason may be written the OpenAI/Ollama way.
QString stopReason(const FakeBackend::Reply &reply) {
    if (reply.finishReason == "length")
        return "max_tokens";
    if (reply.finishReason == "stop")
        return "end_turn";
    if (!reply.finishReason.isEmpty())
        return reply.finishReason;
    return reply.toolCalls.isEmpty() ? "end_turn" : "tool_use";
}

QString signature(const FakeBackend::Reply &reply) {
    return "fake-signature-" + QString::number(reply.reasoning.join(QString()).size());
}

QList<QByteArray> fragments(const QByteArray &json, int parts) {
    QList<QByteArray> out;
    const qsizetype step = qMax<qsizetype>(1, (json.size() + qMax(1, parts) - 1) / qMax(1, parts));
    for (qsizetype pos = 0; pos < json.size(); pos += step)
        out.append(json.mid(pos, step));
    return out;
}

} // namespace

QList<QByteArray> FakeAnthropicWire::streamEvents(const FakeBackend::Reply &reply,
                                                  const QJsonObject &request) {
    QList<QByteArray> events;
    const QJsonObject start{
        {"id", "msg_fake_backend"},
        {"type", "message"},
        {"role", "assistant"},
        {"model", request.value("model")},
        {"content", QJsonArray{}},
        {"stop_reason", QJsonValue::Null},
        {"stop_sequence", QJsonValue::Null},
        {"usage", QJsonObject{{"input_tokens", reply.promptTokens}, {"output_tokens", 1}}}};
    events.append(event({{"type", "message_start"}, {"message", start}}));
    events.append(event({{"type", "ping"}}));

    int index = 0;
    auto blockStart = [&](const QJsonObject &block) {
        events.append(event({{"type", "content_block_start"}, {"index", index}, {"content_block", block}}));
    };
    auto blockDelta = [&](const QJsonObject &delta) {
        events.append(event({{"type", "content_block_delta"}, {"index", index}, {"delta", delta}}));
    };
    auto blockStop = [&] { events.append(event({{"type", "content_block_stop"}, {"index", index++}})); };

    if (!reply.reasoning.isEmpty()) {
        blockStart({{"type", "thinking"}, {"thinking", ""}, {"signature", ""}});
        for (const QString &r : reply.reasoning)
            blockDelta({{"type", "thinking_delta"}, {"thinking", r}});
        blockDelta({{"type", "signature_delta"}, {"signature", signature(reply)}});
        blockStop();
    }
    if (!reply.text.isEmpty()) {
        blockStart({{"type", "text"}, {"text", ""}});
        for (const QString &t : reply.text)
            blockDelta({{"type", "text_delta"}, {"text", t}});
        blockStop();
    }
    for (const FakeBackend::ToolCall &call : reply.toolCalls) {
        blockStart({{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", QJsonObject{}}});
        for (const QByteArray &part : fragments(call.argumentsJson, call.fragments))
            blockDelta({{"type", "input_json_delta"}, {"partial_json", QString::fromUtf8(part)}});
        blockStop();
    }
    QJsonObject messageDelta{
        {"type", "message_delta"},
        {"delta", QJsonObject{{"stop_reason", stopReason(reply)}, {"stop_sequence", QJsonValue::Null}}}};
    if (reply.includeUsage)
        messageDelta.insert("usage", QJsonObject{{"output_tokens", reply.completionTokens}});
    events.append(event(messageDelta));
    events.append(event({{"type", "message_stop"}}));
    return events;
}

QByteArray FakeAnthropicWire::message(const FakeBackend::Reply &reply, const QJsonObject &request) {
    QJsonArray content;
    if (!reply.reasoning.isEmpty())
        content.append(QJsonObject{{"type", "thinking"},
                                   {"thinking", reply.reasoning.join(QString())},
                                   {"signature", signature(reply)}});
    if (!reply.text.isEmpty())
        content.append(QJsonObject{{"type", "text"}, {"text", reply.text.join(QString())}});
    for (const FakeBackend::ToolCall &call : reply.toolCalls)
        content.append(QJsonObject{{"type", "tool_use"},
                                   {"id", call.id},
                                   {"name", call.name},
                                   {"input", QJsonDocument::fromJson(call.argumentsJson).object()}});
    return compact({{"id", "msg_fake_backend"},
                    {"type", "message"},
                    {"role", "assistant"},
                    {"model", request.value("model")},
                    {"content", content},
                    {"stop_reason", stopReason(reply)},
                    {"stop_sequence", QJsonValue::Null},
                    {"usage", QJsonObject{{"input_tokens", reply.promptTokens},
                                          {"output_tokens", reply.completionTokens}}}});
}

QByteArray FakeAnthropicWire::errorBody(const QByteArray &type, const QString &message) {
    return compact(
        {{"type", "error"}, {"error", QJsonObject{{"type", QString::fromUtf8(type)}, {"message", message}}}});
}

QByteArray FakeAnthropicWire::modelList() {
    const QJsonObject model{{"type", "model"},
                            {"id", "fake-model"},
                            {"display_name", "Fake model"},
                            {"created_at", "2026-11-25T05:00:00Z"}};
    return compact({{"data", QJsonArray{model}},
                    {"has_more", false},
                    {"first_id", "fake-model"},
                    {"last_id", "fake-model"}});
}

bool FakeAnthropicWire::answersToolResult(const QJsonObject &request) {
    const QJsonArray messages = request.value("messages").toArray();
    if (messages.isEmpty())
        return false;
    const QJsonObject last = messages.last().toObject();
    if (last.value("role").toString() != "user")
        return false;
    for (const QJsonValue &block : last.value("content").toArray()) {
        if (block.toObject().value("type").toString() == "tool_result")
            return true;
    }
    return false;
}

} // namespace modelrelay::testing
