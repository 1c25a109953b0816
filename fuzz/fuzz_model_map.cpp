// libFuzzer target: MODEL_MAP_JSON parsing and rule matching. Input: the client model name, a
// newline, then the JSON. Checks the order-keeping member scanner against Qt's parser, the rules'
// JSON round trip, and the glob matcher against a plain dynamic-programming matcher.
#include "FuzzChecks.h"
#include "config/JsonObjectMembers.h"
#include "config/ModelMap.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <cstddef>
#include <cstdint>
#include <vector>

using namespace modelrelay;
using namespace Qt::Literals::StringLiterals;

namespace {

// '*' matches any run of characters, '?' exactly one; everything else itself.
bool referenceGlobMatches(QStringView pattern, QStringView name) {
    // matches[j]: pattern[0, i) matches name[0, j), row by row over i.
    std::vector<bool> matches(std::size_t(name.size()) + 1, false);
    matches[0] = true;
    for (const QChar p : pattern) {
        std::vector<bool> next(matches.size(), false);
        for (std::size_t j = 0; j < matches.size(); ++j) {
            if (p == u'*')
                next[j] = matches[j] || (j > 0 && next[j - 1]);
            else if (j > 0)
                next[j] = matches[j - 1] && (p == u'?' || p == name[qsizetype(j - 1)]);
        }
        matches = std::move(next);
    }
    return matches.back();
}

// The scanner must see exactly the members Qt's parser sees (the last value of a repeated key).
void checkMembersAgainstQt(const QByteArray &json) {
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return;
    const QJsonObject object = document.object();
    QMap<QString, QByteArray> lastRawValue;
    for (const JsonMember &member : JsonObjectMembers::read(json))
        lastRawValue.insert(member.key, member.rawValue);
    QStringList keys = object.keys();
    keys.sort();
    fuzz::require(lastRawValue.keys() == keys, "the member scanner finds the keys Qt finds");
    for (auto it = lastRawValue.cbegin(); it != lastRawValue.cend(); ++it) {
        const QJsonArray wrapped = QJsonDocument::fromJson('[' + it.value() + ']').array();
        fuzz::require(wrapped.size() == 1 && wrapped.at(0) == object.value(it.key()),
                      "the member scanner's raw value is the value Qt parsed");
    }
}

void checkRoundTrip(const QList<ModelRule> &rules) {
    ModelMap map;
    map.rules = rules;
    QString error;
    const auto again = ModelMap::rulesFromJson(QJsonDocument(map.rulesToJson()).toJson(), &error);
    fuzz::require(again.has_value() && *again == rules, "rules survive rulesToJson and rulesFromJson");
}

void checkResolve(const QList<ModelRule> &rules, const QString &clientModel) {
    ModelMap map;
    map.rules = rules;
    const std::optional<ModelTarget> target = map.resolve(clientModel);
    for (const ModelRule &rule : rules) {
        if (referenceGlobMatches(rule.pattern, clientModel)) {
            fuzz::require(target && target->matchedRule == rule.pattern, "the first matching rule wins");
            return;
        }
    }
    fuzz::require(!target, "no rule matches when none should");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    if (newline < 0)
        return 0;
    const QString clientModel = QString::fromUtf8(input.first(newline));
    const QByteArray json = input.sliced(newline + 1);
    // Qt 6.4 drops a U+FEFF that starts a JSON string when converting it (a key so parsed is listed
    // by keys() but value() cannot find it; "\uFEFF\uFEFF" loses one per round trip): Qt's quirk.
    if (json.contains("\"\xEF\xBB\xBF"))
        return 0;

    checkMembersAgainstQt(json);
    QString error;
    const std::optional<QList<ModelRule>> rules = ModelMap::rulesFromJson(json, &error);
    if (!rules) {
        fuzz::require(!error.isEmpty(), "a rejected model map says why");
        return 0;
    }
    checkRoundTrip(*rules);
    checkResolve(*rules, clientModel);
    return 0;
}
