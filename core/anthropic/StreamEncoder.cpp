#include "StreamEncoder.h"

#include "AnswerAssembler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <charconv>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray event(const char *name, const QJsonObject &data) {
    return QByteArray("event: ") + name + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) +
           "\n\n";
}

// Appends text as a JSON string, escaped exactly as QJsonDocument escapes it, so hand-built events
// read the same as the ones Qt writes.
void appendJsonString(QByteArray &out, QStringView text) {
    static constexpr char kHex[] = "0123456789abcdef";
    const qsizetype start = out.size();
    out.resize(start + 2 + 6 * text.size()); // the worst case: every unit a \uXXXX escape
    char *cursor = out.data() + start;
    *cursor++ = '"';
    const char16_t *unit = text.utf16();
    const char16_t *const end = unit + text.size();
    auto escapeUnit = [&cursor](char16_t u) {
        *cursor++ = '\\';
        *cursor++ = 'u';
        *cursor++ = kHex[(u >> 12) & 0xf];
        *cursor++ = kHex[(u >> 8) & 0xf];
        *cursor++ = kHex[(u >> 4) & 0xf];
        *cursor++ = kHex[u & 0xf];
    };
    while (unit != end) {
        const char16_t u = *unit++;
        if (u >= 0x20 && u < 0x80 && u != u'"' && u != u'\\') {
            *cursor++ = char(u);
        } else if (u < 0x80) {
            switch (u) {
            case u'"':
            case u'\\':
                *cursor++ = '\\';
                *cursor++ = char(u);
                break;
            case u'\b':
                *cursor++ = '\\';
                *cursor++ = 'b';
                break;
            case u'\f':
                *cursor++ = '\\';
                *cursor++ = 'f';
                break;
            case u'\n':
                *cursor++ = '\\';
                *cursor++ = 'n';
                break;
            case u'\r':
                *cursor++ = '\\';
                *cursor++ = 'r';
                break;
            case u'\t':
                *cursor++ = '\\';
                *cursor++ = 't';
                break;
            default:
                escapeUnit(u);
            }
        } else if (u < 0x800) {
            *cursor++ = char(0xc0 | (u >> 6));
            *cursor++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && unit != end && QChar::isLowSurrogate(*unit)) {
            const char32_t c = QChar::surrogateToUcs4(u, *unit++);
            *cursor++ = char(0xf0 | (c >> 18));
            *cursor++ = char(0x80 | ((c >> 12) & 0x3f));
            *cursor++ = char(0x80 | ((c >> 6) & 0x3f));
            *cursor++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isSurrogate(u)) {
            escapeUnit(u); // a lone surrogate has no UTF-8 form
        } else {
            *cursor++ = char(0xe0 | (u >> 12));
            *cursor++ = char(0x80 | ((u >> 6) & 0x3f));
            *cursor++ = char(0x80 | (u & 0x3f));
        }
    }
    *cursor++ = '"';
    out.truncate(cursor - out.constData());
}

void appendNumber(QByteArray &out, int value) {
    char digits[16];
    const auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
    Q_UNUSED(error);
    out.append(digits, end - digits);
}

// Renders the assembler's decisions as Anthropic SSE events into a buffer. These events make up
// almost all of a stream, so they are written directly rather than through QJsonObject (which cost
// more than half of the proxy's CPU time per streamed token); their bytes are those Qt would write.
class SseSink final : public AnswerSink {
public:
    QByteArray out;

    void startText(int index) override {
        out += "event: content_block_start\ndata: {\"content_block\":{\"text\":\"\",\"type\":\"text\"}";
        endBlockEvent(index, "content_block_start");
    }
    void startThinking(int index) override {
        out += "event: content_block_start\ndata: "
               "{\"content_block\":{\"signature\":\"\",\"thinking\":\"\",\"type\":\"thinking\"}";
        endBlockEvent(index, "content_block_start");
    }
    void startToolUse(int index, const QString &id, const QString &name) override {
        out += "event: content_block_start\ndata: {\"content_block\":{\"id\":";
        appendJsonString(out, id);
        out += ",\"input\":{},\"name\":";
        appendJsonString(out, name);
        out += ",\"type\":\"tool_use\"}";
        endBlockEvent(index, "content_block_start");
    }
    void textDelta(int index, const QString &text) override { delta(index, "text", text, "text_delta"); }
    void thinkingDelta(int index, const QString &thinking) override {
        delta(index, "thinking", thinking, "thinking_delta");
    }
    void signatureDelta(int index, const QString &signature) override {
        delta(index, "signature", signature, "signature_delta");
    }
    void toolInput(int index, const QJsonObject &, const QByteArray &compactJson) override {
        delta(index, "partial_json", QString::fromUtf8(compactJson), "input_json_delta");
    }
    void stopBlock(int index) override {
        out += "event: content_block_stop\ndata: {\"index\":";
        appendNumber(out, index);
        out += ",\"type\":\"content_block_stop\"}\n\n";
    }

private:
    // {"delta":{"<field>":<value>,"type":"<type>"},"index":<index>,"type":"content_block_delta"}
    void delta(int index, const char *field, QStringView value, const char *type) {
        out.reserve(out.size() + value.size() + 128);
        out += "event: content_block_delta\ndata: {\"delta\":{\"";
        out += field;
        out += "\":";
        appendJsonString(out, value);
        out += ",\"type\":\"";
        out += type;
        out += "\"}";
        endBlockEvent(index, "content_block_delta");
    }
    void endBlockEvent(int index, const char *type) {
        out += ",\"index\":";
        appendNumber(out, index);
        out += ",\"type\":\"";
        out += type;
        out += "\"}\n\n";
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
    // The open block stays open, as Anthropic's API leaves it when it fails mid-answer. Claude Code
    // (2.1.331/2.1.332) takes an answer whose blocks all closed as a partial answer: it re-prompts
    // "Your response above was cut off mid-stream" (three more paid calls) and gives up with "Server
    // error mid-response". An error inside an open block, before any block closed, makes it send
    // the same request again without streaming, which usually succeeds.
    return start() + d->take() + error.toSseEvent();
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
