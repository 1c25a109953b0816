// ModelMap: rule order, exact names and globs, the default model, per-rule limits, JSON forms.
#include "config/ModelMap.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace modelrelay;

class TestModelMap : public QObject {
    Q_OBJECT
private slots:
    void resolve_data();
    void resolve();
    void rulesFromJson_data();
    void rulesFromJson();
    void rulesToJsonWritesTheArrayForm();
    void roundTrip();
};

namespace {
ModelMap sampleMap() {
    ModelMap map;
    map.rules = {ModelRule{"claude-*haiku*", "qwen2.5:7b", 0, 0},
                 ModelRule{"claude-sonnet-4-5", "exact-model", 8192, 65536},
                 ModelRule{"claude-?-opus", "single-char", 0, 16384},
                 ModelRule{"org/*", "slash-model", 1024, 0}, ModelRule{"claude-*", "catch-all", 0, 0}};
    map.defaultModel = "fallback";
    map.defaultMaxOutputTokens = 4096;
    map.defaultContextSize = 32768;
    return map;
}

// pattern=model/max/ctx;...
QString describe(const QList<ModelRule> &rules) {
    QStringList parts;
    for (const ModelRule &r : rules)
        parts << QString("%1=%2/%3/%4")
                     .arg(r.pattern, r.backendModel)
                     .arg(r.maxOutputTokens)
                     .arg(r.contextSize);
    return parts.join(';');
}
} // namespace

void TestModelMap::resolve_data() {
    QTest::addColumn<bool>("withDefault");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("backend"); // empty: no match
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<int>("context");
    QTest::newRow("glob, defaults for limits") << true << "claude-haiku-4-5-20251001"
                                               << "qwen2.5:7b"
                                               << "claude-*haiku*" << 4096 << 32768;
    QTest::newRow("exact, the rule's limits") << true << "claude-sonnet-4-5"
                                              << "exact-model"
                                              << "claude-sonnet-4-5" << 8192 << 65536;
    QTest::newRow("exact needs the whole name") << true << "claude-sonnet-4-5-20250929"
                                                << "catch-all"
                                                << "claude-*" << 4096 << 32768;
    QTest::newRow("first match wins over a more specific later rule") << true << "claude-3-haiku"
                                                                      << "qwen2.5:7b"
                                                                      << "claude-*haiku*" << 4096 << 32768;
    QTest::newRow("? is one character, own context") << true << "claude-3-opus"
                                                     << "single-char"
                                                     << "claude-?-opus" << 4096 << 16384;
    QTest::newRow("? is not two characters") << true << "claude-35-opus"
                                             << "catch-all"
                                             << "claude-*" << 4096 << 32768;
    QTest::newRow("* crosses /, own max tokens") << true << "org/team/model"
                                                 << "slash-model"
                                                 << "org/*" << 1024 << 32768;
    QTest::newRow("* matches nothing") << true << "claude-"
                                       << "catch-all"
                                       << "claude-*" << 4096 << 32768;
    QTest::newRow("default model") << true << "gpt-4o"
                                   << "fallback"
                                   << "default" << 4096 << 32768;
    QTest::newRow("not found without default") << false << "gpt-4o"
                                               << ""
                                               << "" << 0 << 0;
    QTest::newRow("glob is anchored at the start") << false << "my-claude-x"
                                                   << ""
                                                   << "" << 0 << 0;
    QTest::newRow("glob is case-sensitive") << false << "CLAUDE-3-HAIKU"
                                            << ""
                                            << "" << 0 << 0;
    QTest::newRow("empty name") << false << ""
                                << ""
                                << "" << 0 << 0;
}

void TestModelMap::resolve() {
    QFETCH(bool, withDefault);
    QFETCH(QString, client);
    QFETCH(QString, backend);
    QFETCH(QString, rule);
    QFETCH(int, maxTokens);
    QFETCH(int, context);
    ModelMap map = sampleMap();
    if (!withDefault)
        map.defaultModel.clear();
    const auto target = map.resolve(client);
    QCOMPARE(target.has_value(), !backend.isEmpty());
    if (!target)
        return;
    QCOMPARE(target->backendModel, backend);
    QCOMPARE(target->matchedRule, rule);
    QCOMPARE(target->maxOutputTokens, maxTokens);
    QCOMPARE(target->contextSize, context);
}

void TestModelMap::rulesFromJson_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // describe() of the rules, or the exact error
    QTest::newRow("object keeps the order written")
        << QByteArray(R"({"claude-z":"a", "claude-*haiku*" : "b",
                          "claude-a":{"model":"c","max_tokens":4096,"context":8192}})")
        << "claude-z=a/0/0;claude-*haiku*=b/0/0;claude-a=c/4096/8192";
    QTest::newRow("nested objects do not add rules")
        << QByteArray(R"({"b":{"model":"x","extra":{"z":1,"a":[1,{"q":"}"}]}},"a":"y"})")
        << "b=x/0/0;a=y/0/0";
    QTest::newRow("array form")
        << QByteArray(
               R"([{"pattern":"claude-*","model":"m","max_tokens":100},{"pattern":"x","model":"y","context":2048}])")
        << "claude-*=m/100/0;x=y/0/2048";
    QTest::newRow("escaped keys") << QByteArray(R"({"claude-\"q\"":"x","b,c":"y","\u00e9":"z"})")
                                  << QString::fromUtf8("claude-\"q\"=x/0/0;b,c=y/0/0;\u00e9=z/0/0");
    QTest::newRow("UTF-8 byte order mark")
        << QByteArray("\xEF\xBB\xBF{\"claude-*\":\"m\"}") << "claude-*=m/0/0";
    QTest::newRow("empty object") << QByteArray("{}") << "";
    QTest::newRow("empty array") << QByteArray("[]") << "";
    QTest::newRow("not JSON") << QByteArray("{claude") << "error:not valid JSON: <parse error>";
    QTest::newRow("number as model")
        << QByteArray(R"({"claude-*":5})")
        << "error:rule \"claude-*\": expected a backend model name or {\"model\": ...}";
    QTest::newRow("empty model") << QByteArray(R"({"claude-*":""})")
                                 << "error:rule \"claude-*\": the backend model is empty";
    QTest::newRow("object without model") << QByteArray(R"({"claude-*":{"max_tokens":5}})")
                                          << "error:rule \"claude-*\": the backend model is empty";
    QTest::newRow("empty pattern") << QByteArray(R"({"":"m"})")
                                   << "error:rule \"\": the Claude model name or glob is empty";
    QTest::newRow("max_tokens not a number")
        << QByteArray(R"({"claude-*":{"model":"m","max_tokens":"lots"}})")
        << "error:rule \"claude-*\": \"max_tokens\" must be a whole number, 0 or more";
    QTest::newRow("negative context")
        << QByteArray(R"({"claude-*":{"model":"m","context":-1}})")
        << "error:rule \"claude-*\": \"context\" must be a whole number, 0 or more";
    QTest::newRow("fractional context")
        << QByteArray(R"({"claude-*":{"model":"m","context":1.5}})")
        << "error:rule \"claude-*\": \"context\" must be a whole number, 0 or more";
    QTest::newRow("array entry without pattern")
        << QByteArray(R"([{"pattern":"a","model":"b"},{"model":"m"}])")
        << "error:rule 2: expected {\"pattern\": \"claude-*\", \"model\": \"...\"}";
    QTest::newRow("array entry not an object")
        << QByteArray(R"(["claude-*"])")
        << "error:rule 1: expected {\"pattern\": \"claude-*\", \"model\": \"...\"}";
    QTest::newRow("array entry with empty model")
        << QByteArray(R"([{"pattern":"a","model":""}])") << "error:rule 1: the backend model is empty";
    QTest::newRow("string at the top") << QByteArray(R"("qwen")") << "error:not valid JSON: <parse error>";
    QTest::newRow("empty") << QByteArray() << "error:not valid JSON: <parse error>";
}

void TestModelMap::rulesFromJson() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    const auto rules = ModelMap::rulesFromJson(json, &error);
    if (expected.startsWith("error:")) {
        QVERIFY(!rules);
        if (expected.endsWith("<parse error>")) // Qt words JSON syntax errors its own way
            QVERIFY2(error.startsWith(expected.mid(6).chopped(13)) && error.contains(" at offset "),
                     qPrintable(error));
        else
            QCOMPARE(error, expected.mid(6));
        return;
    }
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(describe(*rules), expected);
}

void TestModelMap::rulesToJsonWritesTheArrayForm() {
    ModelMap map;
    map.rules = {ModelRule{"claude-*haiku*", "small", 0, 0}, ModelRule{"claude-*", "big", 8192, 65536}};
    const QByteArray json = QJsonDocument(map.rulesToJson()).toJson(QJsonDocument::Compact);
    QCOMPARE(json, QByteArray(R"([{"model":"small","pattern":"claude-*haiku*"},)"
                              R"({"context":65536,"max_tokens":8192,"model":"big","pattern":"claude-*"}])"));
}

void TestModelMap::roundTrip() {
    const ModelMap map = sampleMap();
    QString error;
    const auto again = ModelMap::rulesFromJson(QJsonDocument(map.rulesToJson()).toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(*again, map.rules);
}

QTEST_APPLESS_MAIN(TestModelMap)
#include "tst_modelmap.moc"
