#include "ModelMap.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

bool isGlob(const QString &pattern) {
    return pattern.contains(u'*') || pattern.contains(u'?');
}

bool globMatches(const QString &pattern, const QString &name) {
    // Rules are few and resolve runs once per request; cache the compiled expressions anyway.
    static QMutex mutex;
    static QHash<QString, QRegularExpression> cache;
    QMutexLocker lock(&mutex);
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        // Own conversion: Qt's wildcard mode before 6.6 stops '*' at '/', which model names contain.
        QString regex;
        for (const QChar c : pattern) {
            if (c == u'*')
                regex += u".*"_s;
            else if (c == u'?')
                regex += u'.';
            else
                regex += QRegularExpression::escape(QString(c));
        }
        it = cache.insert(pattern, QRegularExpression(QRegularExpression::anchoredPattern(regex)));
    }
    return it->match(name).hasMatch();
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
            *error = u"%1: \"max_tokens\" must be a positive integer"_s.arg(where);
            return false;
        }
        if (!context.isUndefined() && (!context.isDouble() || context.toInt(-1) < 0)) {
            *error = u"%1: \"context\" must be a positive integer"_s.arg(where);
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

// QJsonObject forgets key order, and for rules order is meaning: read keys in document order.
QStringList keysInDocumentOrder(const QByteArray &json, const QJsonObject &object) {
    QStringList keys;
    int depth = 0;
    bool inString = false;
    bool expectKey = false;
    QByteArray current;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (c == '\\' && i + 1 < json.size()) {
                current += c;
                current += json[++i];
            } else if (c == '"') {
                inString = false;
                if (depth == 1 && expectKey) {
                    const QString key =
                        QJsonDocument::fromJson("[\"" + current + "\"]").array().at(0).toString();
                    if (object.contains(key) && !keys.contains(key))
                        keys.append(key);
                    expectKey = false;
                }
            } else {
                current += c;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            current.clear();
            break;
        case '{':
        case '[':
            ++depth;
            expectKey = depth == 1 && c == '{';
            break;
        case '}':
        case ']':
            --depth;
            break;
        case ',':
            expectKey = depth == 1;
            break;
        default:
            break;
        }
    }
    return keys;
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
        for (const QString &key : keysInDocumentOrder(json, object)) {
            ModelRule rule;
            if (!readRule(key, object.value(key), u"rule \"%1\""_s.arg(key), &rule, error))
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
