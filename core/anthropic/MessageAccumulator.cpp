#include "MessageAccumulator.h"

#include "AnswerAssembler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

// Renders the assembler's decisions as the content array of one message.
class JsonSink final : public AnswerSink {
public:
    QJsonArray content;

    void startText(int) override { m_current = QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, QString()}}; }
    void startThinking(int) override {
        m_current =
            QJsonObject{{u"type"_s, u"thinking"_s}, {u"thinking"_s, QString()}, {u"signature"_s, QString()}};
    }
    void startToolUse(int, const QString &id, const QString &name) override {
        m_current = QJsonObject{
            {u"type"_s, u"tool_use"_s}, {u"id"_s, id}, {u"name"_s, name}, {u"input"_s, QJsonObject()}};
    }
    void textDelta(int, const QString &text) override { m_text += text; }
    void thinkingDelta(int, const QString &thinking) override { m_text += thinking; }
    void signatureDelta(int, const QString &signature) override {
        m_current.insert(u"signature"_s, signature);
    }
    void toolInput(int, const QJsonObject &input, const QByteArray &) override {
        m_current.insert(u"input"_s, input);
    }
    void stopBlock(int) override {
        const QString type = m_current.value("type"_L1).toString();
        if (type == "text"_L1)
            m_current.insert(u"text"_s, m_text);
        else if (type == "thinking"_L1)
            m_current.insert(u"thinking"_s, m_text);
        content.append(m_current);
        m_current = {};
        m_text.clear();
    }

private:
    QJsonObject m_current;
    QString m_text;
};

} // namespace

struct MessageAccumulator::State {
    State(QString id, QString model, int estimate)
        : messageId(std::move(id))
        , clientModel(std::move(model))
        , estimatedInputTokens(estimate)
        , assembler(messageId, sink) {}
    QString messageId;
    QString clientModel;
    int estimatedInputTokens;
    JsonSink sink;
    AnswerAssembler assembler;
    std::optional<std::variant<QByteArray, ApiError>> result;
};

MessageAccumulator::MessageAccumulator(QString messageId, QString clientModel, int estimatedInputTokens)
    : d(std::make_unique<State>(std::move(messageId), std::move(clientModel), estimatedInputTokens)) {}

MessageAccumulator::~MessageAccumulator() = default;

void MessageAccumulator::add(const StreamDelta &delta) {
    d->assembler.add(delta);
}

std::variant<QByteArray, ApiError> MessageAccumulator::finish() const {
    if (d->result)
        return *d->result;
    if (const auto error = d->assembler.complete()) {
        d->result = *error;
        return *error;
    }
    const QJsonObject message{{u"id"_s, d->messageId},
                              {u"type"_s, u"message"_s},
                              {u"role"_s, u"assistant"_s},
                              {u"model"_s, d->clientModel},
                              {u"content"_s, d->sink.content},
                              {u"stop_reason"_s, stopReasonName(d->assembler.stopReason())},
                              {u"stop_sequence"_s, d->assembler.stopSequenceJson()},
                              {u"usage"_s, d->assembler.usageJson(d->estimatedInputTokens)}};
    d->result = QJsonDocument(message).toJson(QJsonDocument::Compact);
    return *d->result;
}

Usage MessageAccumulator::usage() const {
    return d->assembler.reportedUsage();
}

StopReason MessageAccumulator::stopReason() const {
    return d->assembler.stopReason();
}

} // namespace modelrelay
