#include "Routing.h"

#include "EnumSpellings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr EnumSpelling<RequestClass> kRequestClasses[] = {
    {RequestClass::Images, "images", "Images", "image vision"},
    {RequestClass::LongContext, "long_context", "Long context", "longcontext"},
    {RequestClass::Thinking, "thinking", "Thinking", "think"},
    {RequestClass::Background, "background", "Background (haiku-class)", "haiku"},
};
} // namespace

QString requestClassName(RequestClass c) {
    return enum_spellings::nameOf(kRequestClasses, c);
}

QString requestClassTitle(RequestClass c) {
    return enum_spellings::titleOf(kRequestClasses, c);
}

bool requestClassFromName(const QString &name, RequestClass *c) {
    QString n = name.trimmed();
    n.replace(u'-', u'_').replace(u' ', u'_');
    return enum_spellings::fromName(kRequestClasses, n, c);
}

namespace {

bool readTarget(const QJsonValue &value, const QString &where, RouteTarget *target, QString *error) {
    if (value.isString()) {
        target->profile = value.toString().trimmed();
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        if (!o.value("profile"_L1).isString() ||
            (o.contains("model"_L1) && !o.value("model"_L1).isString())) {
            *error =
                u"%1: a target is {\"profile\": \"<backend profile name>\", \"model\": \"<model>\"}"_s.arg(
                    where);
            return false;
        }
        target->profile = o.value("profile"_L1).toString().trimmed();
        target->model = o.value("model"_L1).toString().trimmed();
    } else {
        *error = u"%1: a target is a profile name or {\"profile\": ..., \"model\": ...}"_s.arg(where);
        return false;
    }
    if (target->profile.isEmpty()) {
        *error = u"%1: the backend profile name is empty"_s.arg(where);
        return false;
    }
    return true;
}

bool readTargets(const QJsonValue &value, const QString &where, QList<RouteTarget> *targets, QString *error) {
    if (!value.isArray()) {
        *error = u"%1 must be a list of targets"_s.arg(where);
        return false;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        RouteTarget target;
        if (!readTarget(array.at(i), u"%1[%2]"_s.arg(where).arg(i), &target, error))
            return false;
        targets->append(target);
    }
    return true;
}

QJsonArray targetsToJson(const QList<RouteTarget> &targets) {
    QJsonArray array;
    for (const RouteTarget &t : targets) {
        QJsonObject o{{u"profile"_s, t.profile}};
        if (!t.model.isEmpty())
            o.insert(u"model"_s, t.model);
        array.append(o);
    }
    return array;
}

} // namespace

std::optional<Routing> Routing::fromJson(const QByteArray &json, QString *error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error =
            parseError.error != QJsonParseError::NoError
                ? u"not valid JSON (%1 at offset %2)"_s.arg(parseError.errorString()).arg(parseError.offset)
                : u"must be a JSON object with \"rules\" and/or \"fallbacks\""_s;
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Routing routing;
    if (o.contains("long_context_tokens"_L1)) {
        const QJsonValue v = o.value("long_context_tokens"_L1);
        if (!v.isDouble() || v.toDouble() < 1 || v.toDouble() > 100'000'000) {
            *error = u"long_context_tokens must be a positive number of tokens"_s;
            return std::nullopt;
        }
        routing.longContextTokens = v.toInt();
    }
    if (o.contains("rules"_L1)) {
        if (!o.value("rules"_L1).isArray()) {
            *error = u"rules must be a list"_s;
            return std::nullopt;
        }
        const QJsonArray rules = o.value("rules"_L1).toArray();
        for (qsizetype i = 0; i < rules.size(); ++i) {
            const QString where = u"rules[%1]"_s.arg(i);
            const QJsonObject r = rules.at(i).toObject();
            RouteRule rule;
            if (!requestClassFromName(r.value("when"_L1).toString(), &rule.when)) {
                *error = u"%1.when must be one of images, long_context, thinking, background"_s.arg(where);
                return std::nullopt;
            }
            if (!readTargets(r.value("targets"_L1), where + u".targets"_s, &rule.targets, error))
                return std::nullopt;
            routing.rules.append(rule);
        }
    }
    if (o.contains("fallbacks"_L1) &&
        !readTargets(o.value("fallbacks"_L1), u"fallbacks"_s, &routing.fallbacks, error))
        return std::nullopt;
    return routing;
}

QByteArray Routing::toJson() const {
    QJsonArray rulesJson;
    for (const RouteRule &rule : rules)
        rulesJson.append(QJsonObject{{u"when"_s, requestClassName(rule.when)},
                                     {u"targets"_s, targetsToJson(rule.targets)}});
    const QJsonObject o{{u"long_context_tokens"_s, longContextTokens},
                        {u"rules"_s, rulesJson},
                        {u"fallbacks"_s, targetsToJson(fallbacks)}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace modelrelay
