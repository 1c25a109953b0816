// The names settings, flags and JSON use for the configuration's enums, and the UI's titles:
// every value reads back from its own name, aliases and any case are accepted, nothing else is.
#include "config/BackendProfile.h"
#include "config/ProxyConfig.h"
#include "config/Routing.h"

#include <QSet>
#include <QtTest>

using namespace modelrelay;

class TestEnumSpellings : public QObject {
    Q_OBJECT
private slots:
    void everyValueRoundTrips();
    void aliasesCaseAndBlanks_data();
    void aliasesCaseAndBlanks();
    void unknownNamesLeaveTheValueAlone();
};

namespace {
template <typename Enum>
void checkRoundTrip(const QList<Enum> &values, QString (*name)(Enum),
                    bool (*fromName)(const QString &, Enum *), QString (*title)(Enum) = nullptr) {
    QSet<QString> names;
    QSet<QString> titles;
    for (const Enum value : values) {
        Enum read = values.constLast() == value ? values.constFirst() : values.constLast();
        QVERIFY2(fromName(name(value), &read), qPrintable(name(value)));
        QCOMPARE(read, value);
        names.insert(name(value));
        if (title) {
            QVERIFY(!title(value).isEmpty());
            titles.insert(title(value));
        }
    }
    QCOMPARE(names.size(), values.size()); // no two values share a name
    if (title)
        QCOMPARE(titles.size(), values.size());
}
} // namespace

void TestEnumSpellings::everyValueRoundTrips() {
    checkRoundTrip<BackendKind>({BackendKind::OpenAI, BackendKind::Ollama, BackendKind::Anthropic},
                                backendKindName, backendKindFromName, backendKindTitle);
    checkRoundTrip<ToolSchemaPolicy>(
        {ToolSchemaPolicy::Keep, ToolSchemaPolicy::Portable, ToolSchemaPolicy::Strict}, toolSchemaPolicyName,
        toolSchemaPolicyFromName, toolSchemaPolicyTitle);
    checkRoundTrip<RequestClass>(
        {RequestClass::Images, RequestClass::LongContext, RequestClass::Thinking, RequestClass::Background},
        requestClassName, requestClassFromName, requestClassTitle);
    checkRoundTrip<LogLevel>({LogLevel::Error, LogLevel::Warn, LogLevel::Info, LogLevel::Debug}, logLevelName,
                             logLevelFromName);
    QCOMPARE(backendKindName(BackendKind::OpenAI), QString("openai"));
    QCOMPARE(requestClassName(RequestClass::LongContext), QString("long_context"));
    QCOMPARE(toolSchemaPolicyTitle(ToolSchemaPolicy::Portable),
             QString("Portable (drop $schema, propertyNames…)"));
}

void TestEnumSpellings::aliasesCaseAndBlanks_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // the canonical name it reads as
    QTest::newRow("kind, any case") << " OpenAI "
                                    << "openai";
    QTest::newRow("kind alias") << "anthropic-compatible"
                                << "anthropic";
    QTest::newRow("class with a dash") << "long-context"
                                       << "long_context";
    QTest::newRow("class with a space") << " Long Context "
                                        << "long_context";
    QTest::newRow("class alias") << "vision"
                                 << "images";
    QTest::newRow("class alias haiku") << "HAIKU"
                                       << "background";
    QTest::newRow("log alias") << "warning"
                               << "warn";
    QTest::newRow("log alias trace") << "trace"
                                     << "debug";
}

void TestEnumSpellings::aliasesCaseAndBlanks() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    BackendKind kind;
    RequestClass c;
    LogLevel level;
    if (backendKindFromName(text, &kind))
        QCOMPARE(backendKindName(kind), expected);
    else if (requestClassFromName(text, &c))
        QCOMPARE(requestClassName(c), expected);
    else if (logLevelFromName(text, &level))
        QCOMPARE(logLevelName(level), expected);
    else
        QFAIL(qPrintable("not read: " + text));
}

void TestEnumSpellings::unknownNamesLeaveTheValueAlone() {
    BackendKind kind = BackendKind::Ollama;
    QVERIFY(!backendKindFromName("openrouter", &kind));
    QVERIFY(!backendKindFromName("", &kind));
    QCOMPARE(kind, BackendKind::Ollama);
    ToolSchemaPolicy policy = ToolSchemaPolicy::Strict;
    QVERIFY(!toolSchemaPolicyFromName("loose", &policy));
    QCOMPARE(policy, ToolSchemaPolicy::Strict);
    RequestClass c = RequestClass::Thinking;
    QVERIFY(!requestClassFromName("images please", &c));
    QVERIFY(!requestClassFromName("open ai", &c)); // an alias of another enum is not this one's
    QCOMPARE(c, RequestClass::Thinking);
}

QTEST_GUILESS_MAIN(TestEnumSpellings)
#include "tst_enumspellings.moc"
