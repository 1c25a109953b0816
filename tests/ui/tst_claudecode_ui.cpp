// The "Claude Code" page offscreen: the status of Claude Code's settings file, Apply and Restore
// through the buttons, a broken file shown in words and left alone; and "Open a terminal" with a
// stand-in terminal that records what it was started with. Screenshots at 800×600, 2× and dark.
#include "AppController.h"
#include "ClaudeCodeTerminal.h"
#include "PageScreenshots.h"
#include "TestFiles.h"
#include "pages/ClaudeCodePage.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;
using Platform = ClaudeCodeTerminal::Platform;

namespace {

QList<ClaudeCodeTerminal::Variable> someVariables() {
    return {{"ANTHROPIC_BASE_URL", "http://127.0.0.1:8787"}, {"ANTHROPIC_AUTH_TOKEN", "it's-secret"}};
}

} // namespace

class TestClaudeCodeUi : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void applyAndRestoreThroughTheButtons();
    void brokenSettingsFileIsShownAndNotWritten();
    void accessTokenIsNotShown();
    void linuxTerminalPlans_data();
    void linuxTerminalPlans();
    void noTerminalSaysWhatToDo();
    void macAndWindowsPlans();
    void openedTerminalGetsTheEnvironmentNotTheCommandLine();
    void screenshots();

private:
    AppController &makeApp(const QString &token = {});
    QString settingsPath() const { return m_dir->filePath("claude/settings.json"); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppController> m_app;
};

void TestClaudeCodeUi::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestClaudeCodeUi::cleanup() {
    m_app.reset();
    m_dir.reset();
}

AppController &TestClaudeCodeUi::makeApp(const QString &token) {
    auto settings = std::make_unique<SettingsStore>(m_dir->filePath("settings.ini"));
    ProxyConfig config = settings->load();
    config.port = 8799;
    config.accessToken = token;
    m_app = std::make_unique<AppController>(std::move(settings), config);
    return *m_app;
}

void TestClaudeCodeUi::applyAndRestoreThroughTheButtons() {
    AppController &app = makeApp();
    const QByteArray original = "{\n  \"theme\": \"dark\",\n  \"env\": {\n    \"ANTHROPIC_BASE_URL\": "
                                "\"https://api.deepseek.com/anthropic\"\n  }\n}\n";
    writeAll(settingsPath(), original);
    ClaudeCodePage page(app, settingsPath(), m_dir->filePath("terminal.json"));
    QVERIFY2(page.status()->text().contains("another server: https://api.deepseek.com/anthropic"),
             qPrintable(page.status()->text()));
    QVERIFY(page.applyButton()->isEnabled());
    QVERIFY(!page.restoreButton()->isEnabled());
    QVERIFY(page.preview()->toPlainText().contains("\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8799\""));

    page.applyButton()->click();
    QVERIFY2(page.result()->text().contains("Claude Code now uses ModelRelay at http://127.0.0.1:8799"),
             qPrintable(page.result()->text()));
    QVERIFY2(page.status()->text().contains("uses this proxy"), qPrintable(page.status()->text()));
    QVERIFY(!page.applyButton()->isEnabled()); // nothing left to apply
    QVERIFY(page.restoreButton()->isEnabled());
    const QJsonObject written = QJsonDocument::fromJson(readAll(settingsPath())).object();
    QCOMPARE(written.value("theme").toString(), QString("dark"));
    QCOMPARE(written.value("env").toObject().value("ANTHROPIC_BASE_URL").toString(),
             QString("http://127.0.0.1:8799"));

    page.restoreButton()->click();
    QVERIFY2(page.result()->text().contains("back as they were"), qPrintable(page.result()->text()));
    QCOMPARE(readAll(settingsPath()), original);
    QVERIFY(!page.restoreButton()->isEnabled());

    // Someone else edits the file while the page is open: the watcher refreshes the status.
    writeAll(settingsPath(), "{\"env\": {\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8799\", "
                             "\"ANTHROPIC_AUTH_TOKEN\": \"modelrelay\", \"ANTHROPIC_API_KEY\": \"\"}}");
    QTRY_VERIFY2(page.status()->text().contains("uses this proxy"), qPrintable(page.status()->text()));
}

void TestClaudeCodeUi::brokenSettingsFileIsShownAndNotWritten() {
    AppController &app = makeApp();
    const QByteArray broken = "{\n  \"theme\": \"dark\"\n  \"env\": {}\n}\n";
    writeAll(settingsPath(), broken);
    ClaudeCodePage page(app, settingsPath(), m_dir->filePath("terminal.json"));
    QVERIFY2(page.status()->text().contains("cannot be used: it is not valid JSON (line 3, column 3"),
             qPrintable(page.status()->text()));
    QVERIFY(!page.applyButton()->isEnabled());
    page.applyToClaudeCode(); // even if asked directly
    QVERIFY2(page.result()->text().contains("was left as it is"), qPrintable(page.result()->text()));
    QCOMPARE(readAll(settingsPath()), broken);
}

void TestClaudeCodeUi::accessTokenIsNotShown() {
    AppController &app = makeApp("tok-very-secret");
    ClaudeCodePage page(app, settingsPath(), m_dir->filePath("terminal.json"));
    QVERIFY(page.preview()->toPlainText().contains("\"ANTHROPIC_AUTH_TOKEN\": (the access token)"));
    QVERIFY(!page.preview()->toPlainText().contains("tok-very-secret"));
    page.applyButton()->click();
    QVERIFY(!page.result()->text().contains("tok-very-secret"));
    QCOMPARE(QJsonDocument::fromJson(readAll(settingsPath()))
                 .object()
                 .value("env")
                 .toObject()
                 .value("ANTHROPIC_AUTH_TOKEN"),
             QJsonValue("tok-very-secret"));
}

void TestClaudeCodeUi::linuxTerminalPlans_data() {
    QTest::addColumn<QStringList>("installed");
    QTest::addColumn<QString>("terminalVariable");
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("prefix"); // the arguments before the shell
    QTest::newRow("Debian's choice") << QStringList{"x-terminal-emulator", "xterm"} << ""
                                     << "/usr/bin/x-terminal-emulator" << QStringList{"-e"};
    QTest::newRow("GNOME") << QStringList{"gnome-terminal"} << ""
                           << "/usr/bin/gnome-terminal" << QStringList{"--"};
    QTest::newRow("Xfce") << QStringList{"xfce4-terminal"} << ""
                          << "/usr/bin/xfce4-terminal" << QStringList{"-x"};
    QTest::newRow("kitty") << QStringList{"kitty"} << ""
                           << "/usr/bin/kitty" << QStringList{};
    QTest::newRow("wezterm") << QStringList{"wezterm"} << ""
                             << "/usr/bin/wezterm" << QStringList{"start", "--"};
    QTest::newRow("$TERMINAL wins, with its own flags")
        << QStringList{"gnome-terminal", "alacritty"} << "alacritty --class claude"
        << "/usr/bin/alacritty" << QStringList{"--class", "claude", "-e"};
}

void TestClaudeCodeUi::linuxTerminalPlans() {
    QFETCH(QStringList, installed);
    QFETCH(QString, terminalVariable);
    QFETCH(QString, program);
    QFETCH(QStringList, prefix);
    ClaudeCodeTerminal::Request request;
    request.variables = someVariables();
    request.settingsPath = "/home/u/.config/ModelRelay/claude-code-terminal.json";
    request.platform = Platform::Linux;
    request.base = QProcessEnvironment();
    request.base.insert("SHELL", "/bin/bash");
    request.base.insert("ANTHROPIC_API_KEY", "sk-ant-real");
    if (!terminalVariable.isEmpty())
        request.base.insert("TERMINAL", terminalVariable);
    request.find = [&installed](const QString &name) {
        return installed.contains(name) ? "/usr/bin/" + name : QString();
    };
    QString error;
    const auto plan = ClaudeCodeTerminal::plan(request, &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->program, program);
    const QStringList expected = prefix + QStringList{"/bin/bash", "-i", "-c",
                                                      "claude --settings '/home/u/.config/ModelRelay/"
                                                      "claude-code-terminal.json'; exec '/bin/bash'"};
    QCOMPARE(plan->arguments, expected);
    QCOMPARE(plan->environment.value("ANTHROPIC_BASE_URL"), QString("http://127.0.0.1:8787"));
    QCOMPARE(plan->environment.value("ANTHROPIC_AUTH_TOKEN"), QString("it's-secret"));
    QVERIFY(!plan->arguments.join(' ').contains("it's-secret"));
}

void TestClaudeCodeUi::noTerminalSaysWhatToDo() {
    ClaudeCodeTerminal::Request request;
    request.platform = Platform::Linux;
    request.base = QProcessEnvironment();
    request.find = [](const QString &) { return QString(); };
    QString error;
    QVERIFY(!ClaudeCodeTerminal::plan(request, &error));
    QVERIFY2(error.startsWith("No terminal program was found"), qPrintable(error));
    QVERIFY2(error.contains("Set TERMINAL"), qPrintable(error));
    request.base.insert("TERMINAL", "my-term");
    QVERIFY(!ClaudeCodeTerminal::plan(request, &error));
    QCOMPARE(error, QString("The terminal in $TERMINAL (my-term) was not found."));
}

void TestClaudeCodeUi::macAndWindowsPlans() {
    ClaudeCodeTerminal::Request request;
    request.variables = someVariables();
    request.settingsPath = "/Users/u/Library/Preferences/ModelRelay/claude-code-terminal.json";
    request.platform = Platform::MacOS;
    request.base = QProcessEnvironment();
    request.base.insert("TMPDIR", "/private/tmp");
    QString error;
    auto plan = ClaudeCodeTerminal::plan(request, &error);
    QVERIFY(plan);
    QCOMPARE(plan->program, QString("open"));
    QCOMPARE(plan->arguments.mid(0, 2), (QStringList{"-a", "Terminal"}));
    QVERIFY(plan->scriptPath.startsWith("/private/tmp/modelrelay-claude-"));
    QVERIFY(plan->scriptPath.endsWith(".command"));
    const QString script = QString::fromUtf8(plan->script);
    QVERIFY2(script.startsWith("#!/bin/sh\nrm -f \"$0\"\n"), qPrintable(script));
    QVERIFY2(script.contains("export ANTHROPIC_AUTH_TOKEN='it'\\''s-secret'\n"), qPrintable(script));
    QVERIFY2(
        script.contains(
            "claude --settings '\\''/Users/u/Library/Preferences/ModelRelay/claude-code-terminal.json'\\''"),
        qPrintable(script));

    request.platform = Platform::Windows;
    request.settingsPath = "C:/Users/A B/AppData/Roaming/ModelRelay/claude-code-terminal.json";
    plan = ClaudeCodeTerminal::plan(request, &error);
    QVERIFY(plan);
    QCOMPARE(plan->program, QString("cmd.exe"));
    QCOMPARE(plan->arguments.join(' '),
             QString("/c start \"Claude Code (ModelRelay)\" cmd.exe /k claude --settings "
                     "\"%1\"")
                 .arg(QDir::toNativeSeparators(
                     "C:/Users/A B/AppData/Roaming/ModelRelay/claude-code-terminal.json")));
    QCOMPARE(plan->environment.value("ANTHROPIC_BASE_URL"), QString("http://127.0.0.1:8787"));
}

void TestClaudeCodeUi::openedTerminalGetsTheEnvironmentNotTheCommandLine() {
#ifndef Q_OS_LINUX
    QSKIP("the stand-in terminal is a shell script");
#else
    // A stand-in for the user's terminal: records its arguments and environment, then runs the
    // command it was given with a stand-in claude that records its own.
    const QString record = m_dir->filePath("terminal-record.txt");
    const QString fakeTerminal = m_dir->filePath("bin/fake-terminal");
    writeAll(fakeTerminal, QString("#!/bin/sh\n"
                                   "printf '%s\\n' \"$@\" > '%1.args'\n"
                                   "env > '%1.env'\n"
                                   "shift\n" // -e
                                   "exec \"$@\"\n")
                               .arg(record)
                               .toUtf8());
    writeAll(m_dir->filePath("bin/claude"), QString("#!/bin/sh\n"
                                                    "printf '%s\\n' \"$@\" > '%1.claude-args'\n"
                                                    "env > '%1.claude-env'\n")
                                                .arg(record)
                                                .toUtf8());
    // The user's shell, minus the interactive part: runs -c's command, and ends when started bare.
    const QString fakeShell = m_dir->filePath("bin/fake-shell");
    writeAll(fakeShell, "#!/bin/sh\n"
                        "if [ \"$1\" = -i ]; then shift; fi\n"
                        "if [ \"$1\" = -c ]; then exec /bin/sh -c \"$2\"; fi\n"
                        "exit 0\n");
    for (const char *name : {"bin/fake-terminal", "bin/claude", "bin/fake-shell"})
        QFile::setPermissions(m_dir->filePath(name),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    ClaudeCodeTerminal::Request request;
    request.variables = someVariables();
    request.settingsPath = m_dir->filePath("config/claude-code-terminal.json");
    request.base = QProcessEnvironment::systemEnvironment();
    request.base.insert("PATH", m_dir->filePath("bin") + ":" + request.base.value("PATH"));
    request.base.insert("TERMINAL", fakeTerminal);
    request.base.insert("SHELL", fakeShell);
    QString message;
    QVERIFY2(ClaudeCodeTerminal::open(request, &message), qPrintable(message));
    QCOMPARE(message, QString("Opened a terminal with Claude Code pointed at ModelRelay."));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(record + ".claude-env"), 10000);
    QTRY_VERIFY(readAll(record + ".claude-env").contains("ANTHROPIC_AUTH_TOKEN=it's-secret"));
    const QByteArray args = readAll(record + ".args");
    QVERIFY2(args.startsWith("-e\n" + fakeShell.toUtf8() + "\n-i\n-c\n"), args.constData());
    QVERIFY(!args.contains("it's-secret"));
    QVERIFY(readAll(record + ".env").contains("ANTHROPIC_BASE_URL=http://127.0.0.1:8787"));
    QCOMPARE(readAll(record + ".claude-args"), "--settings\n" + request.settingsPath.toUtf8() + "\n");
    // The --settings file wins over an ANTHROPIC_BASE_URL in the user's own settings.json.
    const QJsonObject settings = QJsonDocument::fromJson(readAll(request.settingsPath)).object();
    QCOMPARE(settings.value("env").toObject().value("ANTHROPIC_BASE_URL").toString(),
             QString("http://127.0.0.1:8787"));
    QCOMPARE(QFile::permissions(request.settingsPath) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
#endif
}

void TestClaudeCodeUi::screenshots() {
    AppController &app = makeApp("tok-secret");
    writeAll(settingsPath(),
             "{\n  \"env\": {\n    \"ANTHROPIC_BASE_URL\": \"https://openrouter.ai/api\"\n  }\n}\n");
    ClaudeCodePage page(app, settingsPath(), m_dir->filePath("terminal.json"));
    test::shootAtUserSizes(&page, "claude-code-page");
    page.applyButton()->click();
    test::shootAtUserSizes(&page, "claude-code-page-applied");
    writeAll(settingsPath(), "{\n  \"theme\": \"dark\"\n  \"env\": {}\n}\n");
    page.refresh();
    test::shootAtUserSizes(&page, "claude-code-page-broken-file");
}

QTEST_MAIN(TestClaudeCodeUi)
#include "tst_claudecode_ui.moc"
