#include "AnswerReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString ReadAnswer::text() const {
    QString joined;
    for (const AnswerBlock &b : blocks) {
        if (b.type == "text"_L1)
            joined += b.text;
    }
    return joined;
}

bool ReadAnswer::hasBlock(const QString &type) const {
    for (const AnswerBlock &b : blocks) {
        if (b.type == type)
            return true;
    }
    return false;
}

const AnswerBlock *ReadAnswer::firstToolUse() const {
    for (const AnswerBlock &b : blocks) {
        if (b.type == "tool_use"_L1)
            return &b;
    }
    return nullptr;
}

namespace {

// An error answer: {"type":"error","error":{"type","message"}}, or whatever the body says.
ReadAnswer errorAnswer(int httpStatus, const QByteArray &body) {
    ReadAnswer answer;
    answer.httpStatus = httpStatus;
    const QJsonObject error = QJsonDocument::fromJson(body).object().value("error"_L1).toObject();
    answer.errorType = error.value("type"_L1).toString(u"http_%1"_s.arg(httpStatus));
    answer.errorMessage = error.value("message"_L1).toString(QString::fromUtf8(body.left(300)).trimmed());
    answer.problem = u"HTTP %1 %2: %3"_s.arg(httpStatus).arg(answer.errorType, answer.errorMessage);
    return answer;
}

AnswerBlock blockFrom(const QJsonObject &o) {
    AnswerBlock b;
    b.type = o.value("type"_L1).toString();
    if (b.type == "text"_L1)
        b.text = o.value("text"_L1).toString();
    else if (b.type == "thinking"_L1)
        b.text = o.value("thinking"_L1).toString();
    else if (b.type == "tool_use"_L1) {
        b.toolName = o.value("name"_L1).toString();
        b.toolInput = QJsonDocument(o.value("input"_L1).toObject()).toJson(QJsonDocument::Compact);
    }
    return b;
}

struct SseEvent {
    QString name;
    QByteArray data;
};

QList<SseEvent> splitEvents(const QByteArray &body) {
    QByteArray normalized = body;
    normalized.replace("\r\n", "\n");
    QList<SseEvent> events;
    SseEvent current;
    bool hasField = false;
    for (const QByteArray &line : normalized.split('\n')) {
        if (line.isEmpty()) {
            if (hasField)
                events.append(current);
            current = {};
            hasField = false;
        } else if (line.startsWith(':')) {
            continue; // comment
        } else if (line.startsWith("event:")) {
            current.name = QString::fromUtf8(line.mid(6).trimmed());
            hasField = true;
        } else if (line.startsWith("data:")) {
            if (!current.data.isEmpty())
                current.data += '\n';
            current.data += line.mid(5).trimmed();
            hasField = true;
        }
    }
    // An event without its closing blank line was cut off: left out, so the stream reads as cut.
    return events;
}

// Follows the stream event by event and stops at the first rule it breaks.
class StreamFollower {
public:
    explicit StreamFollower(ReadAnswer &answer)
        : m_answer(answer) {}

    bool follow(const SseEvent &event) {
        ++m_answer.eventCount;
        const QJsonObject data = QJsonDocument::fromJson(event.data).object();
        const QString type = event.name.isEmpty() ? data.value("type"_L1).toString() : event.name;
        if (type == "ping"_L1)
            return true;
        if (m_stopped)
            return fail(u"'%1' arrived after message_stop"_s.arg(type));
        if (type == "error"_L1) {
            const QJsonObject error = data.value("error"_L1).toObject();
            m_answer.errorType = error.value("type"_L1).toString(u"error"_s);
            m_answer.errorMessage = error.value("message"_L1).toString();
            return fail(u"the stream ended with an error event: %1: %2"_s.arg(m_answer.errorType,
                                                                              m_answer.errorMessage));
        }
        if (!m_started && type != "message_start"_L1)
            return fail(u"the stream starts with '%1' instead of message_start"_s.arg(type));
        if (type == "message_start"_L1)
            return m_started ? fail(u"message_start arrived twice"_s) : (m_started = true);
        if (type == "content_block_start"_L1)
            return startBlock(data);
        if (type == "content_block_delta"_L1)
            return addDelta(data);
        if (type == "content_block_stop"_L1)
            return stopBlock(data);
        if (type == "message_delta"_L1) {
            if (m_open >= 0)
                return fail(u"message_delta arrived while block %1 was still open"_s.arg(m_open));
            if (!m_answer.stopReason.isEmpty())
                return fail(u"message_delta arrived twice"_s);
            m_answer.stopReason = data.value("delta"_L1).toObject().value("stop_reason"_L1).toString();
            return m_answer.stopReason.isEmpty() ? fail(u"message_delta carries no stop_reason"_s) : true;
        }
        if (type == "message_stop"_L1) {
            if (m_open >= 0)
                return fail(u"block %1 was never stopped (no content_block_stop)"_s.arg(m_open));
            if (m_answer.stopReason.isEmpty())
                return fail(u"message_stop arrived without a message_delta (no stop_reason)"_s);
            m_stopped = true;
            return true;
        }
        return fail(u"unknown event '%1'"_s.arg(type));
    }

    void finish() {
        if (m_answer.problem.isEmpty() && !m_started)
            fail(u"the stream holds no events"_s);
        else if (m_answer.problem.isEmpty() && !m_stopped)
            fail(u"the stream ended without message_stop"_s);
    }

private:
    bool fail(const QString &problem) {
        m_answer.problem = problem;
        return false;
    }

    bool startBlock(const QJsonObject &data) {
        const int index = data.value("index"_L1).toInt(-1);
        if (m_open >= 0)
            return fail(u"block %1 started while block %2 was still open"_s.arg(index).arg(m_open));
        if (index != m_answer.blocks.size())
            return fail(u"block index %1 where %2 was due"_s.arg(index).arg(m_answer.blocks.size()));
        AnswerBlock block = blockFrom(data.value("content_block"_L1).toObject());
        if (block.type == "tool_use"_L1)
            block.toolInput.clear(); // the input arrives in input_json_delta fragments
        m_answer.blocks.append(block);
        m_open = index;
        return true;
    }

    bool addDelta(const QJsonObject &data) {
        const int index = data.value("index"_L1).toInt(-1);
        if (index != m_open)
            return fail(u"a delta for block %1 while block %2 is open"_s.arg(index).arg(m_open));
        AnswerBlock &block = m_answer.blocks[index];
        const QJsonObject delta = data.value("delta"_L1).toObject();
        const QString type = delta.value("type"_L1).toString();
        if (type == "text_delta"_L1 && block.type == "text"_L1)
            block.text += delta.value("text"_L1).toString();
        else if (type == "thinking_delta"_L1 && block.type == "thinking"_L1)
            block.text += delta.value("thinking"_L1).toString();
        else if (type == "input_json_delta"_L1 && block.type == "tool_use"_L1)
            block.toolInput += delta.value("partial_json"_L1).toString().toUtf8();
        else if (type != "signature_delta"_L1)
            return fail(u"a %1 in a %2 block"_s.arg(type, block.type));
        return true;
    }

    bool stopBlock(const QJsonObject &data) {
        const int index = data.value("index"_L1).toInt(-1);
        if (index != m_open)
            return fail(u"content_block_stop for block %1 while block %2 is open"_s.arg(index).arg(m_open));
        m_open = -1;
        AnswerBlock &block = m_answer.blocks[index];
        if (block.type != "tool_use"_L1)
            return true;
        if (block.toolInput.trimmed().isEmpty())
            block.toolInput = "{}";
        QJsonParseError error;
        const QJsonDocument input = QJsonDocument::fromJson(block.toolInput, &error);
        if (error.error != QJsonParseError::NoError || !input.isObject())
            return fail(u"the input of the %1 tool call is not a JSON object: %2"_s.arg(
                block.toolName, QString::fromUtf8(block.toolInput.left(200))));
        return true;
    }

    ReadAnswer &m_answer;
    bool m_started = false;
    bool m_stopped = false;
    int m_open = -1;
};

} // namespace

ReadAnswer AnswerReader::fromJson(int httpStatus, const QByteArray &body) {
    if (httpStatus != 200)
        return errorAnswer(httpStatus, body);
    ReadAnswer answer;
    answer.httpStatus = httpStatus;
    QJsonParseError error;
    const QJsonObject message = QJsonDocument::fromJson(body, &error).object();
    if (error.error != QJsonParseError::NoError) {
        answer.problem = u"the answer is not JSON: %1"_s.arg(error.errorString());
        return answer;
    }
    if (message.value("type"_L1).toString() != "message"_L1) {
        answer.problem =
            u"the answer is not a message (type '%1')"_s.arg(message.value("type"_L1).toString());
        return answer;
    }
    for (const QJsonValue &block : message.value("content"_L1).toArray())
        answer.blocks.append(blockFrom(block.toObject()));
    answer.stopReason = message.value("stop_reason"_L1).toString();
    if (answer.stopReason.isEmpty())
        answer.problem = u"the message has no stop_reason"_s;
    return answer;
}

ReadAnswer AnswerReader::fromSse(int httpStatus, const QByteArray &body) {
    if (httpStatus != 200)
        return errorAnswer(httpStatus, body);
    ReadAnswer answer;
    answer.httpStatus = httpStatus;
    StreamFollower follower(answer);
    for (const SseEvent &event : splitEvents(body)) {
        if (!follower.follow(event))
            return answer;
    }
    follower.finish();
    return answer;
}

} // namespace modelrelay
