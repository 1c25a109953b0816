// Claude Code's settings.json: ModelRelay's env entries go in and come out again while every other
// byte stays; a broken or missing file is handled in words, and nothing is lost.
#include "TestFiles.h"
#include "claudecode/ClaudeSettingsDocument.h"
#include "claudecode/ClaudeSettingsFile.h"
#include "config/ClaudeCodeSetup.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;
using Target = ClaudeSettingsFile::Target;
using Variables = QList<ClaudeSettingsFile::Variable>;

namespace {

// As Claude Code writes it (JSON.stringify with two spaces), with keys ModelRelay knows nothing of.
const QByteArray kUserSettings = R"json({
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model": "opus",
  "permissions": {
    "allow": [
      "Bash(npm run test:*)",
      "Read(~/.zshrc)"
    ],
    "deny": []
  },
  "env": {
    "BASH_DEFAULT_TIMEOUT_MS": "120000",
    "ANTHROPIC_BASE_URL": "https://api.example.com/anthropic",
    "DISABLE_TELEMETRY": "1"
  },
  "hooks": {
    "PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "prettier --write"}]}]
  },
  "statusLine": {"type": "command", "command": "~/.claude/statusline.sh"},
  "cleanupPeriodDays": 60
}
)json";

Variables proxyVariables(const QString &token = "tok-1", int maxOutput = 8192) {
    ClaudeCodeSetup::Environment environment{"http://127.0.0.1:8787", token, maxOutput, 32768};
    return ClaudeCodeSetup::variables(environment);
}

QJsonObject parsed(const QByteArray &bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

// Everything but "env", compared as JSON values.
QJsonObject withoutEnv(QJsonObject object) {
    object.remove("env");
    return object;
}

} // namespace

class TestClaudeSettings : public QObject {
    Q_OBJECT
private slots:
    void init();

    void editsKeepTheRestOfTheText_data();
    void editsKeepTheRestOfTheText();
    void envThatIsNotAnObjectIsRefused();
    void brokenJsonSaysWhere_data();
    void brokenJsonSaysWhere();

    void applyThenRestoreGivesBackTheSameBytes();
    void applyKeepsEveryOtherKey();
    void reapplyingKeepsTheFirstBackup();
    void pointingElsewhereInBetweenMakesANewBackup();
    void missingFileIsCreatedPrivateAndRemovedOnRestore();
    void corruptFileIsLeftAloneWithAClearMessage();
    void corruptFileAtRestoreKeepsTheBackup();
    void restoreWithoutBackupSaysSo();
    void statusTellsWhereClaudeCodeGoes();
    void symlinkedFileIsWrittenThroughTheLink();
    void configDirectoryFollowsClaudeConfigDir();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestClaudeSettings::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(".claude/settings.json");
}

void TestClaudeSettings::editsKeepTheRestOfTheText_data() {
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::newRow("no file") << QByteArray() << QByteArray("{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n");
    QTest::newRow("empty object") << QByteArray("{}")
                                  << QByteArray("{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n");
    QTest::newRow("two spaces, no env")
        << QByteArray("{\n  \"model\": \"opus\",\n  \"x\": [1, 2]\n}\n")
        << QByteArray(
               "{\n  \"model\": \"opus\",\n  \"x\": [1, 2],\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n");
    QTest::newRow("four spaces, env kept in place")
        << QByteArray("{\n    \"env\": {\n        \"B\": \"2\",\n        \"GONE\": \"x\"\n    },\n    \"z\": "
                      "true\n}")
        << QByteArray(
               "{\n    \"env\": {\n        \"B\": \"2\",\n        \"A\": \"1\"\n    },\n    \"z\": true\n}");
    QTest::newRow("tabs") << QByteArray("{\n\t\"env\": {\n\t\t\"A\": \"0\"\n\t}\n}")
                          << QByteArray("{\n\t\"env\": {\n\t\t\"A\": \"1\"\n\t}\n}");
    QTest::newRow("compact") << QByteArray(R"({"model":"opus","env":{"GONE":"x","B":"2"}})")
                             << QByteArray(R"({"model":"opus","env":{"B": "2", "A": "1"}})");
    QTest::newRow("compact, no env") << QByteArray(R"({"model":"opus"})")
                                     << QByteArray(R"({"model":"opus", "env": {"A": "1"}})");
    QTest::newRow("one-line env in a formatted file")
        << QByteArray("{\n  \"env\": {},\n  \"model\": \"opus\"\n}\n")
        << QByteArray("{\n  \"env\": {\n    \"A\": \"1\"\n  },\n  \"model\": \"opus\"\n}\n");
    QTest::newRow("Windows line endings")
        << QByteArray("{\r\n  \"model\": \"opus\"\r\n}\r\n")
        << QByteArray("{\r\n  \"model\": \"opus\",\r\n  \"env\": {\r\n    \"A\": \"1\"\r\n  }\r\n}\r\n");
    QTest::newRow("escapes and unicode kept")
        << QByteArray("{\n  \"note\": \"tab\\there \\u00e9 \xc3\xa9\",\n  \"env\": {\n    \"A\": "
                      "\"\\\"q\\\"\"\n  }\n}")
        << QByteArray(
               "{\n  \"note\": \"tab\\there \\u00e9 \xc3\xa9\",\n  \"env\": {\n    \"A\": \"1\"\n  }\n}");
}

void TestClaudeSettings::editsKeepTheRestOfTheText() {
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QString error;
    const auto document = ClaudeSettingsDocument::parse(before, &error);
    QVERIFY2(document, qPrintable(error));
    const auto written = document->withEnv({{"A", QString("1")}, {"GONE", std::nullopt}}, &error);
    QVERIFY2(written, qPrintable(error));
    QCOMPARE(*written, after);
    QVERIFY(QJsonDocument::fromJson(*written).isObject());
}

void TestClaudeSettings::envThatIsNotAnObjectIsRefused() {
    QString error;
    const auto document = ClaudeSettingsDocument::parse(R"({"env": ["A=1"]})", &error);
    QVERIFY(document);
    QVERIFY(!document->withEnv({{"A", QString("1")}}, &error));
    QVERIFY2(error.contains("\"env\" entry is not an object"), qPrintable(error));
}

void TestClaudeSettings::brokenJsonSaysWhere_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing comma") << QByteArray("{\n  \"a\": 1\n  \"b\": 2\n}") << "line 3, column 3";
    QTest::newRow("comment") << QByteArray("{\n  // mine\n  \"a\": 1\n}") << "line 2, column 3";
    QTest::newRow("cut") << QByteArray("{\"a\": ") << "line 1, column 6";
    QTest::newRow("array") << QByteArray("[1, 2]") << "not an object";
}

void TestClaudeSettings::brokenJsonSaysWhere() {
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!ClaudeSettingsDocument::parse(text, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestClaudeSettings::applyThenRestoreGivesBackTheSameBytes() {
    writeAll(m_path, kUserSettings);
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QString message;
    QVERIFY2(file.apply(proxyVariables(), &message), qPrintable(message));
    QVERIFY2(message.contains("http://127.0.0.1:8787"), qPrintable(message));
    QCOMPARE(readAll(file.backupPath()), kUserSettings);
    QVERIFY(readAll(m_path) != kUserSettings);
    QVERIFY2(file.restore(&message), qPrintable(message));
    QCOMPARE(readAll(m_path), kUserSettings);
    QVERIFY(!QFile::exists(file.backupPath()));
}

void TestClaudeSettings::applyKeepsEveryOtherKey() {
    writeAll(m_path, kUserSettings);
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QString message;
    QVERIFY2(file.apply(proxyVariables(), &message), qPrintable(message));
    const QByteArray written = readAll(m_path);
    const QJsonObject after = parsed(written);
    QCOMPARE(withoutEnv(after), withoutEnv(parsed(kUserSettings)));
    const QJsonObject env = after.value("env").toObject();
    QCOMPARE(env.value("BASH_DEFAULT_TIMEOUT_MS").toString(), QString("120000"));
    QCOMPARE(env.value("DISABLE_TELEMETRY").toString(), QString("1"));
    QCOMPARE(env.value("ANTHROPIC_BASE_URL").toString(), QString("http://127.0.0.1:8787"));
    QCOMPARE(env.value("ANTHROPIC_AUTH_TOKEN").toString(), QString("tok-1"));
    QCOMPARE(env.value("ANTHROPIC_API_KEY").toString(), QString(""));
    QCOMPARE(env.value("CLAUDE_CODE_MAX_OUTPUT_TOKENS").toString(), QString("8192"));
    QCOMPARE(env.value("CLAUDE_CODE_AUTO_COMPACT_WINDOW").toString(), QString("32768"));
    // The text around the env block is untouched, byte for byte, and the order of keys too.
    const qsizetype envAt = kUserSettings.indexOf("\"env\"");
    QVERIFY(written.startsWith(kUserSettings.left(envAt)));
    QVERIFY(written.endsWith(kUserSettings.mid(kUserSettings.indexOf("\"hooks\"") - 6)));
}

void TestClaudeSettings::reapplyingKeepsTheFirstBackup() {
    writeAll(m_path, kUserSettings);
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QString message;
    QVERIFY(file.apply(proxyVariables("tok-1", 8192), &message));
    QCOMPARE(file.status(proxyVariables("tok-2", 0)).target, Target::ThisProxyStale);
    QVERIFY(file.apply(proxyVariables("tok-2", 0), &message));
    QCOMPARE(file.status(proxyVariables("tok-2", 0)).target, Target::ThisProxy);
    // Limits no longer known are taken out rather than left stale.
    QVERIFY(!parsed(readAll(m_path)).value("env").toObject().contains("CLAUDE_CODE_MAX_OUTPUT_TOKENS"));
    QCOMPARE(readAll(file.backupPath()), kUserSettings);
    QVERIFY(file.restore(&message));
    QCOMPARE(readAll(m_path), kUserSettings);
}

void TestClaudeSettings::pointingElsewhereInBetweenMakesANewBackup() {
    writeAll(m_path, kUserSettings);
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QString message;
    QVERIFY(file.apply(proxyVariables(), &message));
    // Another tool (or the user) points Claude Code somewhere else; a later Apply's "previous" is that.
    QByteArray other = readAll(m_path);
    other.replace("http://127.0.0.1:8787", "https://gateway.example.org");
    writeAll(m_path, other);
    QCOMPARE(file.status(proxyVariables()).target, Target::Elsewhere);
    QCOMPARE(file.status(proxyVariables()).baseUrl, QString("https://gateway.example.org"));
    QVERIFY(file.apply(proxyVariables(), &message));
    QCOMPARE(readAll(file.backupPath()), other);
    QVERIFY(file.restore(&message));
    QCOMPARE(readAll(m_path), other);
}

void TestClaudeSettings::missingFileIsCreatedPrivateAndRemovedOnRestore() {
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QVERIFY(!QFile::exists(m_path));
    QCOMPARE(file.status(proxyVariables()).target, Target::Anthropic);
    QVERIFY(!file.status(proxyVariables()).exists);
    QString message;
    QVERIFY2(file.apply(proxyVariables(), &message), qPrintable(message));
    QVERIFY(QFile::exists(m_path));
#ifdef Q_OS_UNIX
    QCOMPARE(QFile::permissions(m_path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
#endif
    QCOMPARE(file.status(proxyVariables()).target, Target::ThisProxy);
    QVERIFY(file.status(proxyVariables()).canRestore);
    QVERIFY2(file.restore(&message), qPrintable(message));
    QVERIFY(!QFile::exists(m_path));
    QVERIFY(!QFile::exists(file.backupPath()));
}

void TestClaudeSettings::corruptFileIsLeftAloneWithAClearMessage() {
    const QByteArray broken = "{\n  \"model\": \"opus\"\n  \"env\": {}\n}\n";
    writeAll(m_path, broken);
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    const ClaudeSettingsFile::Status status = file.status(proxyVariables());
    QCOMPARE(status.target, Target::Unreadable);
    QVERIFY2(status.problem.contains("line 3, column 3"), qPrintable(status.problem));
    QString message;
    QVERIFY(!file.apply(proxyVariables(), &message));
    QVERIFY2(message.contains(QDir::toNativeSeparators(m_path)), qPrintable(message));
    QVERIFY2(message.contains("not valid JSON (line 3, column 3"), qPrintable(message));
    QVERIFY2(message.contains("left as it is"), qPrintable(message));
    QCOMPARE(readAll(m_path), broken);
    QVERIFY(!QFile::exists(file.backupPath()));
}

void TestClaudeSettings::corruptFileAtRestoreKeepsTheBackup() {
    writeAll(m_path, kUserSettings);
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QString message;
    QVERIFY(file.apply(proxyVariables(), &message));
    writeAll(m_path, "{ oops");
    QVERIFY(!file.restore(&message));
    QVERIFY2(message.contains("not valid JSON"), qPrintable(message));
    QCOMPARE(readAll(m_path), QByteArray("{ oops"));
    QCOMPARE(readAll(file.backupPath()), kUserSettings);
}

void TestClaudeSettings::restoreWithoutBackupSaysSo() {
    writeAll(m_path, kUserSettings);
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QString message;
    QVERIFY(!file.restore(&message));
    QVERIFY2(message.startsWith("Nothing to restore"), qPrintable(message));
    QCOMPARE(readAll(m_path), kUserSettings);
}

void TestClaudeSettings::statusTellsWhereClaudeCodeGoes() {
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    writeAll(m_path, R"({"model": "opus"})");
    QCOMPARE(file.status(proxyVariables()).target, Target::Anthropic);
    writeAll(m_path, R"({"env": {"ANTHROPIC_BASE_URL": "https://api.deepseek.com/anthropic"}})");
    QCOMPARE(file.status(proxyVariables()).target, Target::Elsewhere);
    // localhost and a trailing slash reach the same proxy.
    writeAll(m_path,
             R"({"env": {"ANTHROPIC_BASE_URL": "http://localhost:8787/", "ANTHROPIC_AUTH_TOKEN": "tok-1",
                         "ANTHROPIC_API_KEY": "", "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "8192",
                         "CLAUDE_CODE_AUTO_COMPACT_WINDOW": 32768}})");
    QCOMPARE(file.status(proxyVariables()).target, Target::ThisProxy);
    QCOMPARE(file.status(proxyVariables("other-token")).target, Target::ThisProxyStale);
    writeAll(m_path, "\xff\xfe{");
    QCOMPARE(file.status(proxyVariables()).target, Target::Unreadable);
}

void TestClaudeSettings::symlinkedFileIsWrittenThroughTheLink() {
#ifndef Q_OS_UNIX
    QSKIP("symbolic links need privileges on Windows");
#else
    // Dotfile managers keep settings.json in a repository and link it into ~/.claude.
    const QString real = m_dir->filePath("dotfiles/claude-settings.json");
    writeAll(real, kUserSettings);
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QVERIFY(QFile::link(real, m_path));
    ClaudeSettingsFile file(m_path, ClaudeCodeSetup::managedVariables());
    QString message;
    QVERIFY2(file.apply(proxyVariables(), &message), qPrintable(message));
    QVERIFY(QFileInfo(m_path).isSymLink());
    QCOMPARE(parsed(readAll(real)).value("env").toObject().value("ANTHROPIC_BASE_URL").toString(),
             QString("http://127.0.0.1:8787"));
    QVERIFY(file.restore(&message));
    QVERIFY(QFileInfo(m_path).isSymLink());
    QCOMPARE(readAll(real), kUserSettings);
#endif
}

void TestClaudeSettings::configDirectoryFollowsClaudeConfigDir() {
    QProcessEnvironment environment;
    QCOMPARE(ClaudeSettingsFile::defaultPath(environment), QDir::home().filePath(".claude/settings.json"));
    environment.insert("CLAUDE_CONFIG_DIR", m_dir->filePath("work-account"));
    QCOMPARE(ClaudeSettingsFile::defaultPath(environment), m_dir->filePath("work-account/settings.json"));
    environment.insert("CLAUDE_CONFIG_DIR", "~/.claude-work");
    QCOMPARE(ClaudeSettingsFile::configDirectory(environment), QDir::home().filePath(".claude-work"));
}

QTEST_GUILESS_MAIN(TestClaudeSettings)
#include "tst_claudesettings.moc"
