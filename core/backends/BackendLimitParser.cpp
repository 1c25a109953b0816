#include "BackendLimitParser.h"

#include <QRegularExpression>
#include <QString>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

std::optional<BackendLimitParser::Limit>
BackendLimitParser::fromRejection(int httpStatus, const QByteArray &body, int requestedMaxTokens) {
    if (httpStatus != 400 && httpStatus != 422)
        return std::nullopt;
    const QString text = QString::fromUtf8(body);
    if (!text.contains(u"max_tokens"_s, Qt::CaseInsensitive) &&
        !text.contains(u"completion tokens"_s, Qt::CaseInsensitive) &&
        !text.contains(u"in the completion"_s, Qt::CaseInsensitive))
        return std::nullopt;
    auto accept = [&](int limit, bool perModel) -> std::optional<Limit> {
        if (limit <= 0 || (requestedMaxTokens > 0 && limit >= requestedMaxTokens))
            return std::nullopt;
        return Limit{limit, perModel};
    };
    static const QRegularExpression range(u"valid range of max_tokens is \\[\\s*\\d+\\s*,\\s*(\\d+)\\s*\\]"_s,
                                          QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression atMost(u"supports at most (\\d+) completion tokens"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression mustBe(
        u"max_tokens[^0-9]{0,40}(?:less than or equal to|<=|at most) (\\d+)"_s,
        QRegularExpression::CaseInsensitiveOption);
    for (const QRegularExpression *fixed : {&range, &atMost, &mustBe}) {
        const auto match = fixed->match(text);
        if (match.hasMatch())
            return accept(match.captured(1).toInt(), true);
    }
    // vLLM: the context minus this prompt is what is left for the answer.
    static const QRegularExpression contextAndInput(
        u"maximum context length is (\\d+) tokens.*?(?:request has |requested \\d+ tokens \\()(\\d+) (?:input tokens|in the messages)"_s,
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    const auto match = contextAndInput.match(text);
    if (match.hasMatch()) {
        const int left = match.captured(1).toInt() - match.captured(2).toInt();
        return accept(left, false);
    }
    return std::nullopt;
}

} // namespace modelrelay
