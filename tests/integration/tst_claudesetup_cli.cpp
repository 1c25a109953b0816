// `modelrelay claude-setup` through the real binary: print, apply, restore, a broken file and
// wrong usage, with CLAUDE_CONFIG_DIR pointing at a temporary folder.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestClaudeSetupCli : public QObject {
    Q_OBJECT
private slots:
    void init();
    void printShowsWhatApplyWritesWithoutTheToken();
    void applyAndRestore();
    void brokenSettingsFileIsReportedAndKept();
    void usageErrors_data();
    void usageErrors();

private:
    Run run(const QStringList &args, const QStringList &extraEnv = {}) const;
    QByteArray settings() const;
    QJsonObject env() const { return QJsonDocument::fromJson(settings()).object().value("env").toObject(); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestClaudeSetupCli::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

Run TestClaudeSetupCli::run(const QStringList &args, const QStringList &extraEnv) const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"PORT", "HOST", "PROVIDER", "PROVIDER_BASE_URL", "DEFAULT_MODEL",
                             "MODEL_MAP_JSON", "MODELRELAY_ACCESS_TOKEN", "MODELRELAY_MAX_OUTPUT_TOKENS"})
        env.remove(name);
    env.insert("XDG_CONFIG_HOME", m_dir->filePath("config"));
    env.insert("CLAUDE_CONFIG_DIR", m_dir->filePath("claude"));
    for (const QString &pair : extraEnv)
        env.insert(pair.section('=', 0, 0), pair.section('=', 1));
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(MODELRELAY_BIN, QStringList{"claude-setup"} + args);
    if (!process.waitForFinished(10000))
        process.kill();
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

QByteArray TestClaudeSetupCli::settings() const {
    QFile file(m_dir->filePath("claude/settings.json"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestClaudeSetupCli::printShowsWhatApplyWritesWithoutTheToken() {
    const Run result = run({}, {"PORT=9123", "MODELRELAY_ACCESS_TOKEN=secret-token-123", "DEFAULT_MODEL=qwen",
                                "MODELRELAY_MAX_OUTPUT_TOKENS=4096"});
    QCOMPARE(result.code, 0);
    QVERIFY2(result.out.contains(QDir::toNativeSeparators(m_dir->filePath("claude/settings.json")).toUtf8()),
             result.out.constData());
    QVERIFY2(result.out.contains("the file does not exist yet"), result.out.constData());
    QVERIFY2(result.out.contains("\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:9123\""),
             result.out.constData());
    QVERIFY2(result.out.contains("\"ANTHROPIC_AUTH_TOKEN\": (the access token)"), result.out.constData());
    QVERIFY2(result.out.contains("\"CLAUDE_CODE_MAX_OUTPUT_TOKENS\": \"4096\""), result.out.constData());
    QVERIFY(!result.out.contains("secret-token-123"));
    QVERIFY(!result.err.contains("secret-token-123"));
    QVERIFY(!QFile::exists(m_dir->filePath("claude/settings.json")));
}

void TestClaudeSetupCli::applyAndRestore() {
    QDir().mkpath(m_dir->filePath("claude"));
    const QByteArray original =
        "{\n  \"model\": \"opus\",\n  \"env\": {\n    \"DISABLE_TELEMETRY\": \"1\"\n  }\n}\n";
    {
        QFile file(m_dir->filePath("claude/settings.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(original);
    }
    Run result = run({"--apply"}, {"PORT=9124", "MODELRELAY_ACCESS_TOKEN=secret-token-123"});
    QCOMPARE(result.code, 0);
    QVERIFY2(result.out.contains("Claude Code now uses ModelRelay at http://127.0.0.1:9124"),
             result.out.constData());
    QCOMPARE(env().value("ANTHROPIC_BASE_URL").toString(), QString("http://127.0.0.1:9124"));
    QCOMPARE(env().value("ANTHROPIC_AUTH_TOKEN").toString(), QString("secret-token-123"));
    QCOMPARE(env().value("DISABLE_TELEMETRY").toString(), QString("1"));
    QVERIFY(!result.out.contains("secret-token-123"));

    result = run({"--print"}, {"PORT=9124", "MODELRELAY_ACCESS_TOKEN=secret-token-123"});
    QVERIFY2(result.out.contains("Claude Code now goes to: this proxy (http://127.0.0.1:9124)"),
             result.out.constData());
    result = run({"--print"}, {"PORT=9124", "MODELRELAY_ACCESS_TOKEN=a-new-token"});
    QVERIFY2(result.out.contains("with other values than now"), result.out.constData());

    result = run({"--restore"});
    QCOMPARE(result.code, 0);
    QVERIFY2(result.out.contains("back as they were"), result.out.constData());
    QCOMPARE(settings(), original);
    result = run({"--restore"});
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.startsWith("modelrelay: Nothing to restore"), result.err.constData());
}

void TestClaudeSetupCli::brokenSettingsFileIsReportedAndKept() {
    QDir().mkpath(m_dir->filePath("claude"));
    const QByteArray broken = "{\n  \"model\": \"opus\",,\n}\n";
    {
        QFile file(m_dir->filePath("claude/settings.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(broken);
    }
    Run result = run({"--apply"});
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.contains("was left as it is: it is not valid JSON (line 2"), result.err.constData());
    QVERIFY2(result.err.contains("Fix it in an editor"), result.err.constData());
    QCOMPARE(settings(), broken);
    result = run({"--print"});
    QCOMPARE(result.code, 1);
    QVERIFY2(result.out.contains("unknown: the file cannot be used"), result.out.constData());
}

void TestClaudeSetupCli::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("two actions")
        << QStringList{"claude-setup", "--apply", "--restore"}
        << QByteArray("modelrelay: claude-setup takes one of --print, --apply or --restore");
    QTest::newRow("action without the command")
        << QStringList{"--apply"}
        << QByteArray("modelrelay: --apply belongs to 'modelrelay claude-setup --apply'");
    QTest::newRow("unknown word") << QStringList{"claude-setup", "now"}
                                  << QByteArray("modelrelay: unexpected argument 'now'");
}

void TestClaudeSetupCli::usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_CONFIG_HOME", m_dir->filePath("config"));
    env.insert("CLAUDE_CONFIG_DIR", m_dir->filePath("claude"));
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(MODELRELAY_BIN, args);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(err.startsWith(message), err.constData());
    QVERIFY(!QFile::exists(m_dir->filePath("claude/settings.json")));
}

QTEST_GUILESS_MAIN(TestClaudeSetupCli)
#include "tst_claudesetup_cli.moc"
