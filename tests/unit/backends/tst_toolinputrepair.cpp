// ToolInputRepair: what it repairs, what it refuses, and that it never invents content.
#include "backends/ToolInputRepair.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace modelrelay;

class TestToolInputRepair : public QObject {
    Q_OBJECT
private slots:
    void repairs_data();
    void repairs();
    void refuses_data();
    void refuses();
    void repairedTextIsCompactJson();
};

void TestToolInputRepair::repairs_data() {
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QByteArray>("expected"); // compact JSON
    QTest::addColumn<QStringList>("repairs");

    QTest::newRow("valid") << R"({"command":"ls -la","timeout":1000})"
                           << QByteArray(R"({"command":"ls -la","timeout":1000})") << QStringList{};
    QTest::newRow("valid, spaced and nested")
        << "  {\n  \"edits\": [ {\"old\": \"a,}\", \"new\": \"b]\"} ],\n \"dry\": false }\n"
        << QByteArray(R"({"dry":false,"edits":[{"new":"b]","old":"a,}"}]})") << QStringList{};
    QTest::newRow("valid, unicode and escapes")
        << R"({"content":"Grüße \"quoted\" \\ back\nslash ✓ 日本"})"
        << QByteArray(R"({"content":"Grüße \"quoted\" \\ back\nslash ✓ 日本"})") << QStringList{};
    QTest::newRow("empty object") << "{}" << QByteArray("{}") << QStringList{};
    QTest::newRow("empty") << "" << QByteArray("{}") << QStringList{"empty arguments read as {}"};
    QTest::newRow("whitespace") << " \n\t " << QByteArray("{}") << QStringList{"empty arguments read as {}"};
    QTest::newRow("fenced json") << "```json\n{\"file_path\": \"/tmp/a.txt\"}\n```"
                                 << QByteArray(R"({"file_path":"/tmp/a.txt"})")
                                 << QStringList{"removed a markdown code fence"};
    QTest::newRow("fenced, no info string")
        << "```\n{\"a\": 1}\n```" << QByteArray(R"({"a":1})") << QStringList{"removed a markdown code fence"};
    QTest::newRow("fenced on one line") << "```json {\"a\": 1}```" << QByteArray(R"({"a":1})")
                                        << QStringList{"removed a markdown code fence"};
    QTest::newRow("fenced, no newline, no info")
        << "```{\"command\":\"ls\"}```" << QByteArray(R"({"command":"ls"})")
        << QStringList{"removed a markdown code fence"};
    QTest::newRow("trailing comma in object") << R"({"a": 1, "b": "x",})" << QByteArray(R"({"a":1,"b":"x"})")
                                              << QStringList{"removed a trailing comma"};
    QTest::newRow("trailing commas, nested")
        << "{\"a\": [1, 2, ],\n \"b\": {\"c\": true,\n},\n}" << QByteArray(R"({"a":[1,2],"b":{"c":true}})")
        << QStringList{"removed 3 trailing commas"};
    QTest::newRow("comma inside a string is content")
        << R"({"pattern": "a,}", "x": 1,})" << QByteArray(R"({"pattern":"a,}","x":1})")
        << QStringList{"removed a trailing comma"};
    QTest::newRow("cut off after a string value")
        << R"({"file_path": "/tmp/a.txt")" << QByteArray(R"({"file_path":"/tmp/a.txt"})")
        << QStringList{"closed 1 bracket cut off at the end"};
    QTest::newRow("cut off in nested brackets")
        << R"({"todos": [{"content": "write tests", "done": false})"
        << QByteArray(R"({"todos":[{"content":"write tests","done":false}]})")
        << QStringList{"closed 2 brackets cut off at the end"};
    QTest::newRow("cut off after a comma")
        << R"({"a": "x", "b": [true, null],)" << QByteArray(R"({"a":"x","b":[true,null]})")
        << QStringList{"removed a trailing comma", "closed 1 bracket cut off at the end"};
    QTest::newRow("fenced and cut off")
        << "```json\n{\"a\": {\"b\": \"c\"}" << QByteArray(R"({"a":{"b":"c"}})")
        << QStringList{"removed a markdown code fence", "closed 1 bracket cut off at the end"};
    QTest::newRow("double-encoded") << R"("{\"command\": \"git status\"}")"
                                    << QByteArray(R"({"command":"git status"})")
                                    << QStringList{"decoded an object encoded as a JSON string"};
    QTest::newRow("double-encoded, padded") << R"(  "  {\"a\": [1]}  " )" << QByteArray(R"({"a":[1]})")
                                            << QStringList{"decoded an object encoded as a JSON string"};
}

void TestToolInputRepair::repairs() {
    QFETCH(QString, arguments);
    QFETCH(QByteArray, expected);
    QFETCH(QStringList, repairs);
    const ToolInputRepair::Result result = ToolInputRepair::repair(arguments);
    QVERIFY2(result.ok, qPrintable(result.failure));
    QCOMPARE(result.json, expected);
    QCOMPARE(result.repairs, repairs);
    QVERIFY(result.failure.isEmpty());
    QVERIFY(QJsonDocument::fromJson(result.json).isObject());
}

void TestToolInputRepair::refuses_data() {
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QString>("reason"); // a part of the failure

    QTest::newRow("array") << R"([{"a":1}])"
                           << "a JSON array, not an object";
    QTest::newRow("array, cut off") << R"([{"a":1})"
                                    << "a JSON array, not an object";
    QTest::newRow("number") << "42"
                            << "not JSON";
    QTest::newRow("true") << "true"
                          << "not JSON";
    QTest::newRow("a string") << R"("ls -la")"
                              << "a JSON string, not an object";
    QTest::newRow("double-encoded array") << R"("[1,2]")"
                                          << "a JSON string, not an object";
    QTest::newRow("prose") << "I will read the file now."
                           << "not JSON";
    QTest::newRow("prose before the object") << R"(Arguments: {"a": 1})"
                                             << "not JSON";
    QTest::newRow("prose after the fence") << "```here you go {\"a\": 1}```"
                                           << "not JSON";
    QTest::newRow("fenced array") << "```json\n[1]\n```"
                                  << "a JSON array, not an object";
    QTest::newRow("cut off inside a string") << R"({"command": "rm -rf /tmp/bu)"
                                             << "cut off inside a string";
    QTest::newRow("cut off inside a key") << R"({"comm)"
                                          << "cut off inside a string";
    QTest::newRow("cut off after a key") << R"({"command")"
                                         << "not valid JSON";
    QTest::newRow("cut off after a colon") << R"({"command":)"
                                           << "cut off in the middle of a value";
    QTest::newRow("cut off in a number") << R"({"timeout": 12)"
                                         << "cut off in the middle of a value";
    QTest::newRow("cut off in a literal") << R"({"dry": fal)"
                                          << "cut off in the middle of a value";
    QTest::newRow("only an opening brace") << "{"
                                           << "cut off in the middle of a value";
    QTest::newRow("two objects") << R"({"a":1}{"b":2})"
                                 << "text after the JSON object";
    QTest::newRow("text after the object") << R"({"a":1} and more)"
                                           << "text after the JSON object";
    QTest::newRow("extra closing brace") << R"({"a":1}})"
                                         << "text after the JSON object";
    QTest::newRow("mismatched brackets") << R"({"a": [1, 2}})"
                                         << "mismatched brackets";
    QTest::newRow("single quotes") << "{'a': 1}"
                                   << "not valid JSON";
    QTest::newRow("unquoted keys") << "{a: 1}"
                                   << "not valid JSON";
    QTest::newRow("missing comma") << R"({"a": 1 "b": 2})"
                                   << "not valid JSON";
    QTest::newRow("python literals") << R"({"a": True})"
                                     << "not valid JSON";
}

void TestToolInputRepair::refuses() {
    QFETCH(QString, arguments);
    QFETCH(QString, reason);
    const ToolInputRepair::Result result = ToolInputRepair::repair(arguments);
    QVERIFY2(!result.ok, result.json.constData());
    QVERIFY2(result.failure.contains(reason), qPrintable(result.failure));
    QVERIFY(result.json.isEmpty());
}

void TestToolInputRepair::repairedTextIsCompactJson() {
    // The result parses to the same object as the input did: a repair only ever removes syntax
    // noise or adds closing brackets.
    const QString input = "{\"a\": {\"b\": [1, 2.5, \"three\", {\"four\": null}]}, \"c\": \"\\u00e9\"}";
    const ToolInputRepair::Result result = ToolInputRepair::repair(input);
    QVERIFY(result.ok);
    QCOMPARE(QJsonDocument::fromJson(result.json).object(), QJsonDocument::fromJson(input.toUtf8()).object());
    QVERIFY(!result.json.contains(' '));
}

QTEST_APPLESS_MAIN(TestToolInputRepair)
#include "tst_toolinputrepair.moc"
