#include "ModelMap.h"

#include "JsonObjectMembers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

bool isGlob(const QString &pattern) {
    return pattern.contains(u'*') || pattern.contains(u'?');
}

// Anchored, case-sensitive match of '*' (any run, '/' included) and '?' (one character).
// Hand-written rather than QRegularExpression::wildcardToRegularExpression: before Qt 6.6 that
// stops '*' at '/', which model names contain, and this needs no compiled-pattern cache (resolve
// runs concurrently on worker threads) and allocates nothing.
bool globMatches(QStringView pattern, QStringView name) {
    qsizetype p = 0;
    qsizetype n = 0;
    qsizetype starAt = -1;  // position in pattern just after the last '*'
    qsizetype starName = 0; // where in name that '*' currently stops
    while (n < name.size()) {
        if (p < pattern.size() && pattern[p] == u'*') {
            starAt = ++p;
            starName = n;
        } else if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (starAt >= 0) {
            p = starAt;
            n = ++starName;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

bool readRule(const QString &pattern, const QJsonValue &value, const QString &where, ModelRule *rule,
              QString *error) {
    rule->pattern = pattern;
    if (pattern.trimmed().isEmpty()) {
        *error = u"%1: the Claude model name or glob is empty"_s.arg(where);
        return false;
    }
    if (value.isString()) {
        rule->backendModel = value.toString();
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        rule->backendModel = o.value("model"_L1).toString();
        const QJsonValue maxTokens = o.value("max_tokens"_L1);
        const QJsonValue context = o.value("context"_L1);
        if (!maxTokens.isUndefined() && (!maxTokens.isDouble() || maxTokens.toInt(-1) < 0)) {
            *error = u"%1: \"max_tokens\" must be a whole number, 0 or more"_s.arg(where);
            return false;
        }
        if (!context.isUndefined() && (!context.isDouble() || context.toInt(-1) < 0)) {
            *error = u"%1: \"context\" must be a whole number, 0 or more"_s.arg(where);
            return false;
        }
        rule->maxOutputTokens = maxTokens.toInt(0);
        rule->contextSize = context.toInt(0);
    } else {
        *error = u"%1: expected a backend model name or {\"model\": ...}"_s.arg(where);
        return false;
    }
    if (rule->backendModel.trimmed().isEmpty()) {
        *error = u"%1: the backend model is empty"_s.arg(where);
        return false;
    }
    return true;
}

} // namespace

std::optional<ModelTarget> ModelMap::resolve(const QString &clientModel) const {
    for (const ModelRule &rule : rules) {
        const bool matches =
            isGlob(rule.pattern) ? globMatches(rule.pattern, clientModel) : rule.pattern == clientModel;
        if (matches) {
            return ModelTarget{rule.backendModel,
                               rule.maxOutputTokens > 0 ? rule.maxOutputTokens : defaultMaxOutputTokens,
                               rule.contextSize > 0 ? rule.contextSize : defaultContextSize, rule.pattern};
        }
    }
    if (!defaultModel.isEmpty())
        return ModelTarget{defaultModel, defaultMaxOutputTokens, defaultContextSize, u"default"_s};
    return std::nullopt;
}

std::optional<QList<ModelRule>> ModelMap::rulesFromJson(const QByteArray &json, QString *error) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"not valid JSON: %1 at offset %2"_s.arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    QList<ModelRule> rules;
    if (document.isObject()) {
        const QJsonObject object = document.object();
        // Keys in the order written (QJsonObject sorts them); values from the parsed object.
        for (const JsonMember &member : JsonObjectMembers::read(json)) {
            const bool repeated = std::any_of(rules.cbegin(), rules.cend(),
                                              [&](const ModelRule &r) { return r.pattern == member.key; });
            if (repeated) // a repeated key: the parsed object holds its last value, at its first place
                continue;
            ModelRule rule;
            if (!readRule(member.key, object.value(member.key), u"rule \"%1\""_s.arg(member.key), &rule,
                          error))
                return std::nullopt;
            rules.append(rule);
        }
        return rules;
    }
    if (document.isArray()) {
        const QJsonArray array = document.array();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonObject entry = array.at(i).toObject();
            const QString where = u"rule %1"_s.arg(i + 1);
            if (!array.at(i).isObject() || !entry.value("pattern"_L1).isString()) {
                *error = u"%1: expected {\"pattern\": \"claude-*\", \"model\": \"...\"}"_s.arg(where);
                return std::nullopt;
            }
            ModelRule rule;
            if (!readRule(entry.value("pattern"_L1).toString(), entry, where, &rule, error))
                return std::nullopt;
            rules.append(rule);
        }
        return rules;
    }
    *error = u"expected an object {\"claude-*\": \"model\"} or an array of rules"_s;
    return std::nullopt;
}

QJsonArray ModelMap::rulesToJson() const {
    QJsonArray array;
    for (const ModelRule &rule : rules) {
        QJsonObject entry{{u"pattern"_s, rule.pattern}, {u"model"_s, rule.backendModel}};
        if (rule.maxOutputTokens > 0)
            entry.insert(u"max_tokens"_s, rule.maxOutputTokens);
        if (rule.contextSize > 0)
            entry.insert(u"context"_s, rule.contextSize);
        array.append(entry);
    }
    return array;
}

} // namespace modelrelay
