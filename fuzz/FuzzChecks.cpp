#include "FuzzChecks.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QList>
#include <cstdio>
#include <cstdlib>

namespace modelrelay::fuzz {

using namespace Qt::Literals::StringLiterals;

void require(bool condition, const char *invariant) {
    if (condition)
        return;
    std::fprintf(stderr, "fuzz invariant violated: %s\n", invariant);
    std::abort();
}

QJsonObject requireJsonObject(const QByteArray &json, const char *invariant) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    require(error.error == QJsonParseError::NoError && document.isObject(), invariant);
    return document.object();
}

namespace {

bool isStopReason(const QString &name) {
    static const QStringList known{u"end_turn"_s, u"max_tokens"_s, u"stop_sequence"_s, u"tool_use"_s,
                                   u"refusal"_s};
    return known.contains(name);
}

// Follows one SSE answer event by event, enforcing the order Anthropic clients rely on.
class SseAnswerChecker {
public:
    void onEvent(const QByteArray &name, const QJsonObject &data) {
        require(!m_ended, "no event after message_stop or an error event");
        require(data.value("type"_L1).toString().toUtf8() == name, "an event's data.type is its event name");
        if (name == "ping")
            return;
        if (name == "message_start") {
            require(!m_started, "exactly one message_start");
            require(data.value("message"_L1).toObject().value("content"_L1).toArray().isEmpty(),
                    "message_start has empty content");
            m_started = true;
            return;
        }
        require(m_started, "message_start comes first");
        if (name == "content_block_start")
            startBlock(data);
        else if (name == "content_block_delta")
            addDelta(data);
        else if (name == "content_block_stop")
            stopBlock(data);
        else if (name == "message_delta")
            messageDelta(data);
        else if (name == "message_stop")
            messageStop();
        else if (name == "error")
            error(data);
        else
            require(false, "only known event names");
    }

    SseAnswer finish() {
        require(m_ended, "the stream ends with message_stop or an error event");
        return m_answer;
    }

private:
    void startBlock(const QJsonObject &data) {
        require(m_openIndex < 0, "one content block open at a time");
        const int index = data.value("index"_L1).toInt(-1);
        require(index == m_nextIndex, "content block indices count up from 0");
        m_block = data.value("content_block"_L1).toObject();
        m_blockType = m_block.value("type"_L1).toString();
        require(m_blockType == "text"_L1 || m_blockType == "thinking"_L1 || m_blockType == "tool_use"_L1,
                "content blocks are text, thinking or tool_use");
        m_openIndex = index;
        ++m_nextIndex;
        m_text.clear();
        m_partialJson.clear();
    }

    void addDelta(const QJsonObject &data) {
        require(m_openIndex >= 0 && data.value("index"_L1).toInt(-1) == m_openIndex,
                "a delta belongs to the open block");
        const QJsonObject delta = data.value("delta"_L1).toObject();
        const QString type = delta.value("type"_L1).toString();
        if (m_blockType == "text"_L1 && type == "text_delta"_L1)
            m_text += delta.value("text"_L1).toString();
        else if (m_blockType == "thinking"_L1 && type == "thinking_delta"_L1)
            m_text += delta.value("thinking"_L1).toString();
        else if (m_blockType == "thinking"_L1 && type == "signature_delta"_L1)
            m_block.insert(u"signature"_s, delta.value("signature"_L1).toString());
        else if (m_blockType == "tool_use"_L1 && type == "input_json_delta"_L1)
            m_partialJson += delta.value("partial_json"_L1).toString();
        else
            require(false, "a delta's type matches its block's type");
    }

    void stopBlock(const QJsonObject &data) {
        require(m_openIndex >= 0 && data.value("index"_L1).toInt(-1) == m_openIndex,
                "content_block_stop closes the open block");
        if (m_blockType == "text"_L1) {
            m_block.insert(u"text"_s, m_text);
        } else if (m_blockType == "thinking"_L1) {
            m_block.insert(u"thinking"_s, m_text);
            require(!m_block.value("signature"_L1).toString().isEmpty(), "a thinking block is signed");
        } else if (!m_partialJson.isEmpty()) {
            m_block.insert(u"input"_s,
                           requireJsonObject(m_partialJson.toUtf8(),
                                             "tool input is a JSON object at content_block_stop"));
        }
        m_answer.content.append(m_block);
        m_openIndex = -1;
    }

    void messageDelta(const QJsonObject &data) {
        require(m_openIndex < 0, "every block is closed before message_delta");
        require(!m_sawMessageDelta, "exactly one message_delta");
        m_sawMessageDelta = true;
        m_answer.stopReason = data.value("delta"_L1).toObject().value("stop_reason"_L1).toString();
        require(isStopReason(m_answer.stopReason), "message_delta has a known stop_reason");
        const QJsonValue outputTokens = data.value("usage"_L1).toObject().value("output_tokens"_L1);
        require(outputTokens.isDouble() && outputTokens.toInt(-1) >= 0, "usage.output_tokens is a count");
        m_answer.outputTokens = outputTokens.toInt();
    }

    void messageStop() {
        require(m_sawMessageDelta, "message_stop follows message_delta");
        m_ended = true;
    }

    // A block may still be open: the error then falls inside it, as Anthropic's API sends it and
    // as makes Claude Code send the request again.
    void error(const QJsonObject &data) {
        require(!m_sawMessageDelta, "no error event after message_delta");
        require(!data.value("error"_L1).toObject().value("message"_L1).toString().isEmpty(),
                "an error event says what failed");
        m_answer.endedWithError = true;
        m_ended = true;
    }

    SseAnswer m_answer;
    bool m_started = false;
    bool m_sawMessageDelta = false;
    bool m_ended = false;
    int m_openIndex = -1;
    int m_nextIndex = 0;
    QJsonObject m_block;
    QString m_blockType;
    QString m_text;
    QString m_partialJson;
};

} // namespace

SseAnswer checkSseAnswer(const QByteArray &events) {
    SseAnswerChecker checker;
    qsizetype position = 0;
    while (position < events.size()) {
        const qsizetype end = events.indexOf("\n\n", position);
        require(end > position, "every SSE event ends with a blank line");
        const QList<QByteArray> lines = events.sliced(position, end - position).split('\n');
        require(lines.size() == 2 && lines[0].startsWith("event: ") && lines[1].startsWith("data: "),
                "every SSE event is one event: line and one data: line");
        checker.onEvent(lines[0].sliced(7),
                        requireJsonObject(lines[1].sliced(6), "SSE data is a JSON object"));
        position = end + 2;
    }
    return checker.finish();
}

} // namespace modelrelay::fuzz
