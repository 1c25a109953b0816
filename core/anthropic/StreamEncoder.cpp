#include "StreamEncoder.h"

#include "AnswerAssembler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray event(const char *name, const QJsonObject &data) {
    return QByteArray("event: ") + name + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) +
           "\n\n";
}

// Renders the assembler's decisions as Anthropic SSE events into a buffer.
class SseSink final : public AnswerSink {
public:
    QByteArray out;

    void startText(int index) override {
        start(index, QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, QString()}});
    }
    void startThinking(int index) override {
        start(
            index,
            QJsonObject{{u"type"_s, u"thinking"_s}, {u"thinking"_s, QString()}, {u"signature"_s, QString()}});
    }
    void startToolUse(int index, const QString &id, const QString &name) override {
        start(index,
              QJsonObject{
                  {u"type"_s, u"tool_use"_s}, {u"id"_s, id}, {u"name"_s, name}, {u"input"_s, QJsonObject()}});
    }
    void textDelta(int index, const QString &text) override {
        delta(index, QJsonObject{{u"type"_s, u"text_delta"_s}, {u"text"_s, text}});
    }
    void thinkingDelta(int index, const QString &thinking) override {
        delta(index, QJsonObject{{u"type"_s, u"thinking_delta"_s}, {u"thinking"_s, thinking}});
    }
    void signatureDelta(int index, const QString &signature) override {
        delta(index, QJsonObject{{u"type"_s, u"signature_delta"_s}, {u"signature"_s, signature}});
    }
    void toolInput(int index, const QJsonObject &, const QByteArray &compactJson) override {
        delta(index, QJsonObject{{u"type"_s, u"input_json_delta"_s},
                                 {u"partial_json"_s, QString::fromUtf8(compactJson)}});
    }
    void stopBlock(int index) override {
        out += event("content_block_stop",
                     QJsonObject{{u"type"_s, u"content_block_stop"_s}, {u"index"_s, index}});
    }

private:
    void start(int index, const QJsonObject &block) {
        out += event("content_block_start", QJsonObject{{u"type"_s, u"content_block_start"_s},
                                                        {u"index"_s, index},
                                                        {u"content_block"_s, block}});
    }
    void delta(int index, const QJsonObject &d) {
        out +=
            event("content_block_delta",
                  QJsonObject{{u"type"_s, u"content_block_delta"_s}, {u"index"_s, index}, {u"delta"_s, d}});
    }
};

} // namespace

struct StreamEncoder::State {
    State(QString id, QString model, int estimate)
        : messageId(std::move(id))
        , clientModel(std::move(model))
        , estimatedInputTokens(estimate)
        , assembler(messageId, sink) {}
    QByteArray take() {
        QByteArray bytes;
        bytes.swap(sink.out);
        return bytes;
    }

    QString messageId;
    QString clientModel;
    int estimatedInputTokens;
    SseSink sink;
    AnswerAssembler assembler;
    bool started = false;
    bool complete = false;
};

StreamEncoder::StreamEncoder(QString messageId, QString clientModel, int estimatedInputTokens)
    : d(std::make_unique<State>(std::move(messageId), std::move(clientModel), estimatedInputTokens)) {}

StreamEncoder::~StreamEncoder() = default;

QByteArray StreamEncoder::start() {
    if (d->started)
        return {};
    d->started = true;
    const QJsonObject usage{{u"input_tokens"_s, d->estimatedInputTokens}, {u"output_tokens"_s, 0}};
    const QJsonObject message{{u"id"_s, d->messageId},
                              {u"type"_s, u"message"_s},
                              {u"role"_s, u"assistant"_s},
                              {u"model"_s, d->clientModel},
                              {u"content"_s, QJsonArray()},
                              {u"stop_reason"_s, QJsonValue::Null},
                              {u"stop_sequence"_s, QJsonValue::Null},
                              {u"usage"_s, usage}};
    return event("message_start", QJsonObject{{u"type"_s, u"message_start"_s}, {u"message"_s, message}});
}

QByteArray StreamEncoder::encode(const StreamDelta &delta) {
    if (d->complete)
        return {};
    QByteArray bytes = start();
    d->assembler.add(delta);
    return bytes + d->take();
}

QByteArray StreamEncoder::finish() {
    if (d->complete)
        return {};
    QByteArray bytes = start();
    if (const auto error = d->assembler.complete()) {
        d->complete = true;
        return bytes + d->take() + error->toSseEvent();
    }
    d->complete = true;
    bytes += d->take();

    const QJsonObject delta{{u"stop_reason"_s, stopReasonName(d->assembler.stopReason())},
                            {u"stop_sequence"_s, d->assembler.stopSequenceJson()}};
    // input_tokens only when the backend reported it: message_start already carried the estimate.
    const QJsonObject usage = d->assembler.usageJson(std::nullopt);
    bytes += event("message_delta",
                   QJsonObject{{u"type"_s, u"message_delta"_s}, {u"delta"_s, delta}, {u"usage"_s, usage}});
    bytes += event("message_stop", QJsonObject{{u"type"_s, u"message_stop"_s}});
    return bytes;
}

QByteArray StreamEncoder::fail(const ApiError &error) {
    if (d->complete)
        return {};
    d->complete = true;
    QByteArray bytes = start();
    d->assembler.closeOpenBlock();
    return bytes + d->take() + error.toSseEvent();
}

QByteArray StreamEncoder::ping() const {
    return QByteArrayLiteral("event: ping\ndata: {\"type\":\"ping\"}\n\n");
}

bool StreamEncoder::hasContent() const {
    return d->assembler.hasContent();
}

bool StreamEncoder::isComplete() const {
    return d->complete;
}

Usage StreamEncoder::usage() const {
    return d->assembler.reportedUsage();
}

StopReason StreamEncoder::stopReason() const {
    return d->assembler.stopReason();
}

} // namespace modelrelay
