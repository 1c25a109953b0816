// Where a request goes: routing rules by request class, the model map, and the ordered fallbacks;
// plus the routing JSON users write.
#include "anthropic/RequestParser.h"
#include "backends/RequestRouter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace modelrelay;

namespace {

MessageRequest parsed(const QJsonObject &body) {
    auto result = RequestParser::parse(QJsonDocument(body).toJson(), {});
    if (auto *request = std::get_if<MessageRequest>(&result))
        return *request;
    qFatal("test request did not parse");
}

QJsonObject userSays(const QString &model, const QJsonValue &content) {
    return {{"model", model},
            {"max_tokens", 1024},
            {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", content}}}}};
}

const QJsonObject kImageBlock{
    {"type", "image"},
    {"source", QJsonObject{{"type", "base64"}, {"media_type", "image/png"}, {"data", "iVBORw0KGgo="}}}};

BackendProfile profile(const QString &name, BackendKind kind, int maxOutput = 0) {
    BackendProfile p;
    p.name = name;
    p.kind = kind;
    p.baseUrl = QUrl("http://127.0.0.1:1/" + name);
    p.maxOutputTokens = maxOutput;
    return p;
}

ProxyConfig configWithThreeBackends() {
    ProxyConfig config;
    config.backend = profile("Local", BackendKind::Ollama);
    config.profiles = {profile("Local", BackendKind::Ollama), profile("Cloud", BackendKind::OpenAI, 8192),
                       profile("Vision", BackendKind::OpenAI)};
    config.modelMap.rules = {{"claude-*haiku*", "qwen2.5:7b", 0, 0}};
    config.modelMap.defaultModel = "qwen2.5-coder:32b";
    return config;
}

QStringList describe(const RoutePlan &plan) {
    QStringList out;
    for (const RouteCandidate &c : plan.candidates)
        out << c.profile.name + "/" + c.target.backendModel;
    return out;
}

} // namespace

class TestRequestRouter : public QObject {
    Q_OBJECT
private slots:
    void classify_data();
    void classify();
    void withoutRulesTheModelMapDecides();
    void firstMatchingRuleWins();
    void ruleTargetWithoutModelUsesTheModelMap();
    void unknownProfilesAreSkippedWithANote();
    void ruleWithNoUsableTargetFallsThroughToTheMap();
    void fallbacksFollowTheMappedBackend();
    void unmappedModelHasNoCandidatesEvenWithFallbacks();
    void profileNamesMatchCaseInsensitively();
    void anthropicServersGetUnmappedNamesAsTheyAre();
    void configurationProblemsNameTheMissingProfiles();
    void routingJsonRoundTrips();
    void routingJsonErrorsNameThePlace_data();
    void routingJsonErrorsNameThePlace();
};

void TestRequestRouter::classify_data() {
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("estimate");
    QTest::addColumn<QStringList>("classes");
    QTest::newRow("plain") << userSays("claude-sonnet-4-5", "hi") << 10 << QStringList{};
    QTest::newRow("image") << userSays("claude-sonnet-4-5", QJsonArray{kImageBlock}) << 10
                           << QStringList{"images"};
    QJsonObject toolResultImage =
        userSays("claude-sonnet-4-5",
                 QJsonArray{QJsonObject{
                     {"type", "tool_result"}, {"tool_use_id", "t1"}, {"content", QJsonArray{kImageBlock}}}});
    QTest::newRow("image inside a tool result") << toolResultImage << 10 << QStringList{"images"};
    QTest::newRow("long") << userSays("claude-sonnet-4-5", "hi") << 60001 << QStringList{"long_context"};
    QTest::newRow("at the threshold is not long")
        << userSays("claude-sonnet-4-5", "hi") << 60000 << QStringList{};
    QJsonObject thinking = userSays("claude-opus-4-1", "hi");
    thinking.insert("thinking", QJsonObject{{"type", "enabled"}, {"budget_tokens", 2048}});
    QTest::newRow("thinking") << thinking << 10 << QStringList{"thinking"};
    QJsonObject adaptive = userSays("claude-opus-4-1", "hi");
    adaptive.insert("thinking", QJsonObject{{"type", "adaptive"}});
    QTest::newRow("adaptive thinking") << adaptive << 10 << QStringList{"thinking"};
    QTest::newRow("haiku") << userSays("claude-3-5-Haiku-20241022", "hi") << 10 << QStringList{"background"};
    QJsonObject everything = userSays("claude-haiku-4-5", QJsonArray{kImageBlock});
    everything.insert("thinking", QJsonObject{{"type", "enabled"}, {"budget_tokens", 1024}});
    QTest::newRow("all at once") << everything << 70000
                                 << QStringList{"images", "long_context", "thinking", "background"};
}

void TestRequestRouter::classify() {
    QFETCH(QJsonObject, body);
    QFETCH(int, estimate);
    QFETCH(QStringList, classes);
    QStringList names;
    for (RequestClass c : RequestRouter::classify(parsed(body), estimate, 60000))
        names << requestClassName(c);
    QCOMPARE(names, classes);
}

void TestRequestRouter::withoutRulesTheModelMapDecides() {
    const RoutePlan plan =
        RequestRouter::plan(parsed(userSays("claude-haiku-4-5", "hi")), 10, configWithThreeBackends());
    QCOMPARE(plan.route, QString());
    QCOMPARE(describe(plan), QStringList{"Local/qwen2.5:7b"});
    QCOMPARE(plan.candidates.first().target.matchedRule, QString("claude-*haiku*"));
}

void TestRequestRouter::firstMatchingRuleWins() {
    ProxyConfig config = configWithThreeBackends();
    config.routing.rules = {{RequestClass::Thinking, {{"Cloud", "deepseek-reasoner"}}},
                            {RequestClass::Images, {{"Vision", "qwen2.5-vl"}, {"Cloud", "gpt-4o"}}}};
    QJsonObject body = userSays("claude-sonnet-4-5", QJsonArray{kImageBlock});
    body.insert("thinking", QJsonObject{{"type", "enabled"}, {"budget_tokens", 1024}});
    RoutePlan plan = RequestRouter::plan(parsed(body), 10, config);
    QCOMPARE(plan.route, QString("thinking"));
    QCOMPARE(describe(plan), QStringList{"Cloud/deepseek-reasoner"});
    // The profile's output cap travels with an explicitly named model.
    QCOMPARE(plan.candidates.first().target.maxOutputTokens, 8192);

    plan = RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", QJsonArray{kImageBlock})), 10, config);
    QCOMPARE(plan.route, QString("images"));
    QCOMPARE(describe(plan), (QStringList{"Vision/qwen2.5-vl", "Cloud/gpt-4o"}));
}

void TestRequestRouter::ruleTargetWithoutModelUsesTheModelMap() {
    ProxyConfig config = configWithThreeBackends();
    config.routing.rules = {{RequestClass::Background, {{"Cloud", ""}}}};
    const RoutePlan plan = RequestRouter::plan(parsed(userSays("claude-haiku-4-5", "hi")), 10, config);
    QCOMPARE(plan.route, QString("background"));
    QCOMPARE(describe(plan), QStringList{"Cloud/qwen2.5:7b"});
    QCOMPARE(plan.candidates.first().target.maxOutputTokens, 8192); // the map's default cap is the profile's
}

void TestRequestRouter::unknownProfilesAreSkippedWithANote() {
    ProxyConfig config = configWithThreeBackends();
    config.routing.rules = {{RequestClass::LongContext, {{"Gone", "big"}, {"Cloud", "big-context"}}}};
    const RoutePlan plan = RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", "hi")), 100000, config);
    QCOMPARE(describe(plan), QStringList{"Cloud/big-context"});
    QCOMPARE(plan.notes.size(), 1);
    QVERIFY2(plan.notes.first().contains("'Gone'"), qPrintable(plan.notes.first()));
}

void TestRequestRouter::ruleWithNoUsableTargetFallsThroughToTheMap() {
    ProxyConfig config = configWithThreeBackends();
    config.routing.rules = {{RequestClass::Images, {{"Gone", "vl"}}}};
    const RoutePlan plan =
        RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", QJsonArray{kImageBlock})), 10, config);
    QCOMPARE(plan.route, QString());
    QCOMPARE(describe(plan), QStringList{"Local/qwen2.5-coder:32b"});
    QVERIFY(!plan.notes.isEmpty());
}

void TestRequestRouter::fallbacksFollowTheMappedBackend() {
    ProxyConfig config = configWithThreeBackends();
    config.routing.fallbacks = {{"Cloud", "deepseek-chat"}, {"Vision", ""}};
    const RoutePlan plan = RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", "hi")), 10, config);
    QCOMPARE(describe(plan),
             (QStringList{"Local/qwen2.5-coder:32b", "Cloud/deepseek-chat", "Vision/qwen2.5-coder:32b"}));
    QCOMPARE(plan.candidates.at(1).profile.kind, BackendKind::OpenAI);
}

void TestRequestRouter::unmappedModelHasNoCandidatesEvenWithFallbacks() {
    ProxyConfig config = configWithThreeBackends();
    config.modelMap.defaultModel.clear();
    config.routing.fallbacks = {{"Cloud", "deepseek-chat"}};
    const RoutePlan plan = RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", "hi")), 10, config);
    QVERIFY(plan.candidates.isEmpty());
}

// Issue #12, item 5: api.anthropic.com or a team gateway knows Claude's model names.
void TestRequestRouter::anthropicServersGetUnmappedNamesAsTheyAre() {
    ProxyConfig config;
    config.backend = profile("Gateway", BackendKind::Anthropic, 32000);
    config.modelMap.rules = {{"claude-*haiku*", "small-model", 0, 0}};
    RoutePlan plan = RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", "hi")), 10, config);
    QCOMPARE(describe(plan), QStringList{"Gateway/claude-sonnet-4-5"});
    QCOMPARE(plan.candidates.first().target.matchedRule, QString("passthrough"));
    QCOMPARE(plan.candidates.first().target.maxOutputTokens, 32000);
    plan = RequestRouter::plan(parsed(userSays("claude-haiku-4-5", "hi")), 10, config); // a rule still maps
    QCOMPARE(describe(plan), QStringList{"Gateway/small-model"});
    config.backend.kind = BackendKind::OpenAI; // the others need a map
    QVERIFY(
        RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", "hi")), 10, config).candidates.isEmpty());
}

void TestRequestRouter::profileNamesMatchCaseInsensitively() {
    ProxyConfig config = configWithThreeBackends();
    config.routing.fallbacks = {{"cloud", "x"}};
    const RoutePlan plan = RequestRouter::plan(parsed(userSays("claude-sonnet-4-5", "hi")), 10, config);
    QCOMPARE(describe(plan), (QStringList{"Local/qwen2.5-coder:32b", "Cloud/x"}));
}

void TestRequestRouter::routingJsonRoundTrips() {
    const QByteArray json = R"({"long_context_tokens": 32000,
        "rules": [{"when": "images", "targets": [{"profile": "Vision", "model": "qwen2.5-vl"}, "Cloud"]},
                  {"when": "background", "targets": ["Local"]}],
        "fallbacks": [{"profile": "Cloud", "model": "deepseek-chat"}]})";
    QString error;
    const std::optional<Routing> routing = Routing::fromJson(json, &error);
    QVERIFY2(routing, qPrintable(error));
    QCOMPARE(routing->longContextTokens, 32000);
    QCOMPARE(routing->rules.size(), 2);
    QCOMPARE(routing->rules.at(0).when, RequestClass::Images);
    QCOMPARE(routing->rules.at(0).targets, (QList<RouteTarget>{{"Vision", "qwen2.5-vl"}, {"Cloud", ""}}));
    QCOMPARE(routing->fallbacks, (QList<RouteTarget>{{"Cloud", "deepseek-chat"}}));
    const std::optional<Routing> again = Routing::fromJson(routing->toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(*again, *routing);
}

void TestRequestRouter::routingJsonErrorsNameThePlace_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not JSON") << QByteArray("{rules") << "not valid JSON";
    QTest::newRow("array") << QByteArray("[]") << "JSON object";
    QTest::newRow("unknown class") << QByteArray(R"({"rules":[{"when":"weekends","targets":["A"]}]})")
                                   << "rules[0].when";
    QTest::newRow("targets not a list")
        << QByteArray(R"({"rules":[{"when":"images","targets":"A"}]})") << "rules[0].targets";
    QTest::newRow("empty profile") << QByteArray(R"({"fallbacks":[{"profile":" "}]})") << "fallbacks[0]";
    QTest::newRow("number target") << QByteArray(R"({"fallbacks":[3]})") << "fallbacks[0]";
    QTest::newRow("bad threshold") << QByteArray(R"({"long_context_tokens":"big"})") << "long_context_tokens";
}

void TestRequestRouter::routingJsonErrorsNameThePlace() {
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!Routing::fromJson(json, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestRequestRouter::configurationProblemsNameTheMissingProfiles() {
    ProxyConfig config = configWithThreeBackends();
    config.routing.rules = {RouteRule{RequestClass::Images, {RouteTarget{"vision", "vl"}}}};
    config.routing.fallbacks = {RouteTarget{"Cloud", ""}};
    QCOMPARE(RequestRouter::configurationProblems(config), QStringList()); // case does not matter

    config.routing.rules.append(RouteRule{RequestClass::Thinking, {RouteTarget{"Reasoner", "r1"}}});
    config.routing.fallbacks.append(RouteTarget{"Clod", ""});
    QCOMPARE(RequestRouter::configurationProblems(config),
             (QStringList{
                 "the thinking route names the backend profile 'Reasoner', which does not exist: it is "
                 "skipped",
                 "the fallback list names the backend profile 'Clod', which does not exist: it is skipped",
                 "backend profiles known: Local, Cloud, Vision"}));
}

QTEST_GUILESS_MAIN(TestRequestRouter)
#include "tst_requestrouter.moc"
