#include "AnswerChecks.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

SelfTestVerdict passed(const QString &detail) {
    return {SelfTestStatus::Passed, detail};
}
SelfTestVerdict failed(const QString &detail) {
    return {SelfTestStatus::Failed, detail};
}

// An error or a malformed answer, as the verdict for any capability; nothing when the answer is fine.
std::optional<SelfTestVerdict> troubleIn(const ReadAnswer &answer) {
    if (answer.isError()) {
        if (AnswerChecks::saysUnsupported(answer.errorMessage))
            return SelfTestVerdict{SelfTestStatus::Unsupported,
                                   u"the backend says: "_s + answer.errorMessage};
        return failed(answer.problem);
    }
    if (!answer.isWellFormed())
        return failed(u"malformed answer: "_s + answer.problem);
    return std::nullopt;
}

QString summary(const ReadAnswer &answer) {
    const QString text = answer.text().trimmed();
    return text.isEmpty() ? u"(no text)"_s : AnswerChecks::quoted(text);
}

const QJsonObject offeredTool(const QJsonArray &tools, const QString &name) {
    for (const QJsonValue &tool : tools) {
        if (tool.toObject().value("name"_L1).toString() == name)
            return tool.toObject();
    }
    return {};
}

} // namespace

QString AnswerChecks::quoted(const QString &text, int maxChars) {
    QString oneLine = text.simplified();
    if (oneLine.size() > maxChars)
        oneLine = oneLine.left(maxChars - 1) + u'…';
    return u'"' + oneLine + u'"';
}

bool AnswerChecks::saysUnsupported(const QString &message) {
    static const char *const phrases[] = {
        "does not support", "doesn't support", "not supported", "unsupported",
        "not a multimodal", "no vision",       "mmproj"};
    for (const char *phrase : phrases) {
        if (message.contains(QLatin1StringView(phrase), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

SelfTestVerdict AnswerChecks::modelAvailable(BackendKind kind, const QStringList &listed,
                                             const QString &model) {
    const bool ollama = kind == BackendKind::Ollama;
    // Ollama lists "qwen2.5:7b" and "llama3:latest"; a name without a tag means ":latest".
    const bool found =
        listed.contains(model) || (ollama && !model.contains(u':') && listed.contains(model + ":latest"_L1));
    const QString available = listed.isEmpty() ? u"none"_s : listed.mid(0, 8).join(", "_L1);
    if (found)
        return passed(u"the backend serves %1 (%2 %3 listed)"_s.arg(model)
                          .arg(listed.size())
                          .arg(listed.size() == 1 ? u"model"_s : u"models"_s));
    if (ollama)
        return failed(u"model '%1' is not installed in Ollama (it has: %2); run: ollama pull %1, or map the "
                      "Claude model names to one it has"_s.arg(model, available));
    // Servers such as llama.cpp answer with their one model whatever the name; the requests below tell.
    return passed(u"reachable, but '%1' is not in the server's model list (%2); servers that serve one "
                  "model answer anyway"_s.arg(model, available));
}

SelfTestVerdict AnswerChecks::plainText(const ReadAnswer &answer) {
    if (auto trouble = troubleIn(answer))
        return *trouble;
    if (answer.text().trimmed().isEmpty())
        return failed(u"the model's answer holds no text (stop_reason %1)"_s.arg(answer.stopReason));
    return passed(summary(answer));
}

SelfTestVerdict AnswerChecks::streaming(const ReadAnswer &answer) {
    if (auto trouble = troubleIn(answer))
        return *trouble;
    if (answer.blocks.isEmpty())
        return failed(u"the stream is well-formed but holds no content block"_s);
    return passed(u"%1 events, %2 %3, stop_reason %4: %5"_s.arg(answer.eventCount)
                      .arg(answer.blocks.size())
                      .arg(answer.blocks.size() == 1 ? u"block"_s : u"blocks"_s)
                      .arg(answer.stopReason, summary(answer)));
}

SelfTestVerdict AnswerChecks::toolUse(const ReadAnswer &answer, const QJsonArray &offeredTools) {
    if (auto trouble = troubleIn(answer))
        return *trouble;
    const AnswerBlock *call = answer.firstToolUse();
    if (!call) {
        const QString text = answer.text().trimmed();
        return failed(text.isEmpty() ? u"model answered the tool request with nothing"_s
                                     : u"model answered the tool request in plain text: "_s + quoted(text));
    }
    const QJsonObject tool = offeredTool(offeredTools, call->toolName);
    if (tool.isEmpty())
        return failed(u"model called '%1', a tool it was not offered"_s.arg(call->toolName));
    const QJsonObject input = QJsonDocument::fromJson(call->toolInput).object();
    for (const QJsonValue &required :
         tool.value("input_schema"_L1).toObject().value("required"_L1).toArray()) {
        if (!input.contains(required.toString()))
            return failed(u"model called %1 without its required field '%2': %3"_s.arg(
                call->toolName, required.toString(), QString::fromUtf8(call->toolInput)));
    }
    if (answer.stopReason != "tool_use"_L1)
        return failed(
            u"model called %1 but the answer's stop_reason is '%2', not tool_use (Claude Code would not "
            "run the tool)"_s.arg(call->toolName, answer.stopReason));
    return passed(u"called %1 %2"_s.arg(call->toolName, QString::fromUtf8(call->toolInput)));
}

SelfTestVerdict AnswerChecks::toolResult(const ReadAnswer &answer) {
    if (auto trouble = troubleIn(answer))
        return *trouble;
    if (!answer.text().trimmed().isEmpty())
        return passed(u"continued: "_s + summary(answer));
    if (const AnswerBlock *call = answer.firstToolUse())
        return passed(u"continued with another %1 call"_s.arg(call->toolName));
    return failed(u"model gave no answer after the tool result (stop_reason %1)"_s.arg(answer.stopReason));
}

SelfTestVerdict AnswerChecks::countTokens(int httpStatus, const QByteArray &body, qsizetype requestBytes) {
    if (httpStatus != 200)
        return troubleIn(AnswerReader::fromJson(httpStatus, body))
            .value_or(failed(u"HTTP %1"_s.arg(httpStatus)));
    const QJsonValue value = QJsonDocument::fromJson(body).object().value("input_tokens"_L1);
    if (!value.isDouble())
        return failed(u"count_tokens answered without a number in input_tokens: "_s +
                      quoted(QString::fromUtf8(body)));
    const qint64 tokens = value.toInteger();
    // A token is a few characters of JSON; far fewer or more than that is a broken estimate.
    if (tokens <= 0 || tokens > requestBytes || tokens < requestBytes / 20)
        return failed(
            u"count_tokens said %1 tokens for a %2-byte request, which is not plausible"_s.arg(tokens).arg(
                requestBytes));
    return passed(u"%1 input tokens for a %2-byte request"_s.arg(tokens).arg(requestBytes));
}

SelfTestVerdict AnswerChecks::image(const ReadAnswer &answer) {
    if (auto trouble = troubleIn(answer)) {
        if (trouble->status == SelfTestStatus::Unsupported)
            trouble->detail = u"the backend rejects images (use a vision model to let Claude Code read "
                              "screenshots): "_s +
                              answer.errorMessage;
        return *trouble;
    }
    if (answer.text().trimmed().isEmpty())
        return failed(u"the model's answer to an image holds no text"_s);
    return passed(u"answered: "_s + summary(answer));
}

SelfTestVerdict AnswerChecks::thinking(const ReadAnswer &answer) {
    if (auto trouble = troubleIn(answer))
        return *trouble;
    if (answer.blocks.isEmpty())
        return failed(u"the thinking request was accepted but the answer is empty"_s);
    if (answer.hasBlock(u"thinking"_s))
        return passed(u"accepted, with a thinking block, then: "_s + summary(answer));
    return passed(u"accepted; no thinking came back (the model does not reason visibly): "_s +
                  summary(answer));
}

} // namespace modelrelay
