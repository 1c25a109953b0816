// The self-test's judgements: given what the backend listed or the proxy answered, did the
// capability work, fail (and why, in words that point at the fix), or is it something the
// backend says its model does not support? Pure: values in, verdicts out.
#pragma once

#include "AnswerReader.h"
#include "SelfTestResult.h"
#include "config/BackendProfile.h"

#include <QJsonArray>
#include <QStringList>

namespace modelrelay {

class AnswerChecks {
public:
    // The backend answered its model list; is the model the proxy will call among them?
    static SelfTestVerdict modelAvailable(BackendKind kind, const QStringList &listed, const QString &model);
    static SelfTestVerdict plainText(const ReadAnswer &answer);
    static SelfTestVerdict streaming(const ReadAnswer &answer);
    // offeredTools: the request's Anthropic tools (name, input_schema).
    static SelfTestVerdict toolUse(const ReadAnswer &answer, const QJsonArray &offeredTools);
    static SelfTestVerdict toolResult(const ReadAnswer &answer);
    // requestBytes: the size of the counted request, to judge whether the number is plausible.
    static SelfTestVerdict countTokens(int httpStatus, const QByteArray &body, qsizetype requestBytes);
    static SelfTestVerdict image(const ReadAnswer &answer);
    static SelfTestVerdict thinking(const ReadAnswer &answer);

    // Whether a backend's error message says the model or server lacks a feature
    // (Ollama: "... does not support tools", llama.cpp: "image input is not supported", ...).
    static bool saysUnsupported(const QString &message);
    static QString quoted(const QString &text, int maxChars = 80);
};

} // namespace modelrelay
