// "Start at login": the XDG autostart entry it writes and removes (under a temporary
// XDG_CONFIG_HOME), the formats of the other platforms' entries, and the tray and window actions
// that show and switch it.
#include "AppController.h"
#include "LoginItem.h"
#include "MainWindow.h"
#include "TrayController.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace modelrelay;

// Elsewhere the entry is the user's real Run key or LaunchAgent, which no test should touch.
#if defined(Q_OS_WIN) || defined(Q_OS_MACOS)
#define SKIP_UNLESS_XDG() QSKIP("the login item is not a file under XDG_CONFIG_HOME on this platform")
#else
#define SKIP_UNLESS_XDG() (void)0
#endif

namespace {

QByteArray readAll(const QString &path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &content) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

QString execLine(const QString &entry) {
    const QStringList lines = entry.split('\n');
    for (const QString &line : lines)
        if (line.startsWith("Exec="))
            return line;
    return {};
}

// A plist dict of strings, booleans and string arrays, as key -> value.
QVariantMap parsePlistDict(const QString &xml) {
    QVariantMap dict;
    QXmlStreamReader reader(xml);
    QString key;
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QString name = reader.name().toString();
        if (name == "plist" || name == "dict")
            continue;
        if (name == "key") {
            key = reader.readElementText();
        } else if (name == "string") {
            dict.insert(key, reader.readElementText());
        } else if (name == "true" || name == "false") {
            dict.insert(key, name == "true");
            reader.skipCurrentElement();
        } else if (name == "array") {
            QStringList items;
            while (reader.readNextStartElement())
                items.append(reader.readElementText());
            dict.insert(key, items);
        }
    }
    if (reader.hasError())
        dict.insert("error", reader.errorString());
    return dict;
}

QMessageBox *visibleMessageBox() {
    const QList<QWidget *> windows = QApplication::topLevelWidgets();
    for (QWidget *window : windows)
        if (auto *box = qobject_cast<QMessageBox *>(window); box && box->isVisible())
            return box;
    return nullptr;
}

} // namespace

class TestAutostart : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void enablingWritesAnAutostartEntryForThisBinary();
    void disablingRemovesOnlyThisAppsEntry();
    void entrySwitchedOffByTheDesktopCountsAsDisabled();
    void relativeXdgConfigHomeFallsBackToDotConfig();
    void execQuotesPathsWithReservedCharacters();
    void launchAgentIsAValidPlist();
    void runKeyValueIsTheQuotedExecutable();
    void trayActionReflectsAndSwitchesTheEntry();
    void failureIsShownToTheUser();
    void windowMenuHasTheSameSwitch();

private:
    QString entryPath() const;
    AppController &makeApp();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppController> m_app;
};

void TestAutostart::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    qputenv("XDG_CONFIG_HOME", m_dir->filePath("config").toLocal8Bit());
}

void TestAutostart::cleanup() {
    const QList<QWidget *> windows = QApplication::topLevelWidgets();
    for (QWidget *window : windows)
        if (qobject_cast<QMessageBox *>(window))
            delete window;
    m_app.reset();
    m_dir.reset();
}

QString TestAutostart::entryPath() const {
    return m_dir->filePath("config/autostart/io.github.modelrelay.ModelRelay.desktop");
}

AppController &TestAutostart::makeApp() {
    auto settings = std::make_unique<SettingsStore>(m_dir->filePath("settings.ini"));
    ProxyConfig config = settings->load();
    config.port = 0;
    m_app = std::make_unique<AppController>(std::move(settings), config);
    return *m_app;
}

void TestAutostart::enablingWritesAnAutostartEntryForThisBinary() {
    SKIP_UNLESS_XDG();
    LoginItem item;
    QCOMPARE(item.location(), entryPath());
    QVERIFY(!item.isEnabled());

    QString error;
    QVERIFY2(item.setEnabled(true, &error), qPrintable(error));
    QVERIFY(QFileInfo::exists(entryPath()));
    QVERIFY(item.isEnabled());

    QSettings entry(entryPath(), QSettings::IniFormat);
    QCOMPARE(entry.status(), QSettings::NoError);
    QCOMPARE(entry.childGroups(), QStringList{"Desktop Entry"});
    entry.beginGroup("Desktop Entry");
    QCOMPARE(entry.value("Type").toString(), "Application");
    QCOMPARE(entry.value("Name").toString(), "ModelRelay");
    QCOMPARE(entry.value("Exec").toString(), QCoreApplication::applicationFilePath());
    QCOMPARE(entry.value("X-GNOME-Autostart-enabled").toString(), "true");
    QCOMPARE(entry.value("Terminal").toString(), "false");
    QVERIFY(!entry.contains("Hidden"));
    // In the tray, not with the window open.
    QVERIFY(!QString::fromUtf8(readAll(entryPath())).contains("--show"));
}

void TestAutostart::disablingRemovesOnlyThisAppsEntry() {
    SKIP_UNLESS_XDG();
    const QString other = m_dir->filePath("config/autostart/org.example.Other.desktop");
    const QByteArray otherContent = "[Desktop Entry]\nType=Application\nExec=other\n";
    writeFile(other, otherContent);

    LoginItem item;
    QVERIFY(item.setEnabled(true));
    QVERIFY(item.setEnabled(false));
    QVERIFY(!QFileInfo::exists(entryPath()));
    QVERIFY(!item.isEnabled());
    QVERIFY(item.setEnabled(false)); // already off is not an error
    QCOMPARE(readAll(other), otherContent);
}

void TestAutostart::entrySwitchedOffByTheDesktopCountsAsDisabled() {
    SKIP_UNLESS_XDG();
    LoginItem item;
    writeFile(entryPath(),
              "[Desktop Entry]\nType=Application\nExec=modelrelay\nX-GNOME-Autostart-enabled=false\n");
    QVERIFY(!item.isEnabled());
    writeFile(entryPath(), "[Desktop Entry]\nType=Application\nExec=modelrelay\nHidden=true\n");
    QVERIFY(!item.isEnabled());
    writeFile(entryPath(), "[Desktop Entry]\nType=Application\nExec=modelrelay\n");
    QVERIFY(item.isEnabled());
}

void TestAutostart::relativeXdgConfigHomeFallsBackToDotConfig() {
    SKIP_UNLESS_XDG();
    const QByteArray home = qgetenv("HOME");
    qputenv("HOME", m_dir->path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", "relative/config");
    const QString location = LoginItem().location();
    qputenv("HOME", home);
    QCOMPARE(location, m_dir->filePath(".config/autostart/io.github.modelrelay.ModelRelay.desktop"));
}

void TestAutostart::execQuotesPathsWithReservedCharacters() {
    QCOMPARE(execLine(LoginItem::desktopEntry("/usr/bin/modelrelay")), "Exec=/usr/bin/modelrelay");
    // Quoted, $ escaped inside the quotes, that backslash doubled by the string escape, % doubled.
    QCOMPARE(execLine(LoginItem::desktopEntry("/opt/My Apps/relay$1%")),
             R"(Exec="/opt/My Apps/relay\\$1%%")");
}

void TestAutostart::launchAgentIsAValidPlist() {
    const QString executable = "/Applications/Model & Relay.app/Contents/MacOS/ModelRelay";
    const QVariantMap plist = parsePlistDict(LoginItem::launchAgentPlist(executable));
    QVERIFY2(!plist.contains("error"), qPrintable(plist.value("error").toString()));
    QCOMPARE(plist.value("Label").toString(), "io.github.modelrelay.ModelRelay");
    QCOMPARE(plist.value("ProgramArguments").toStringList(), QStringList{executable});
    QCOMPARE(plist.value("RunAtLoad"), QVariant(true));
}

void TestAutostart::runKeyValueIsTheQuotedExecutable() {
    QCOMPARE(LoginItem::runKeyCommand(R"(C:\Program Files\ModelRelay\bin\modelrelay.exe)"),
             R"("C:\Program Files\ModelRelay\bin\modelrelay.exe")");
}

void TestAutostart::trayActionReflectsAndSwitchesTheEntry() {
    SKIP_UNLESS_XDG();
    AppController &app = makeApp();
    TrayController tray(app);
    QAction *action = tray.startAtLoginAction();
    QVERIFY(tray.menu()->actions().contains(action));
    QVERIFY(action->isCheckable());
    QVERIFY(!action->isChecked());

    action->trigger();
    QVERIFY(action->isChecked());
    QVERIFY(LoginItem().isEnabled());

    // Changed behind its back (another instance, the desktop's settings): shown when the menu opens.
    QVERIFY(QFile::remove(entryPath()));
    emit tray.menu()->aboutToShow();
    QVERIFY(!action->isChecked());
    QVERIFY(LoginItem().setEnabled(true));
    emit tray.menu()->aboutToShow();
    QVERIFY(action->isChecked());

    action->trigger();
    QVERIFY(!action->isChecked());
    QVERIFY(!QFileInfo::exists(entryPath()));
    QVERIFY(!visibleMessageBox());
}

void TestAutostart::failureIsShownToTheUser() {
    SKIP_UNLESS_XDG();
    const QString notAFolder = m_dir->filePath("config-is-a-file");
    writeFile(notAFolder, "x");
    qputenv("XDG_CONFIG_HOME", notAFolder.toLocal8Bit());
    QString error;
    QVERIFY(!LoginItem().setEnabled(true, &error));
    QVERIFY2(error.contains(notAFolder), qPrintable(error));

    AppController &app = makeApp();
    TrayController tray(app);
    tray.startAtLoginAction()->trigger();
    QVERIFY(!tray.startAtLoginAction()->isChecked());
    QMessageBox *box = visibleMessageBox();
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains(notAFolder), qPrintable(box->informativeText()));
}

void TestAutostart::windowMenuHasTheSameSwitch() {
    SKIP_UNLESS_XDG();
    AppController &app = makeApp();
    RequestLogModel log;
    ModelTotalsModel totals;
    MainWindow window(app, &log, &totals);
    QMenu *menu = window.menuBar()->actions().constFirst()->menu();
    QAction *action = nullptr;
    const QList<QAction *> actions = menu->actions();
    for (QAction *candidate : actions)
        if (candidate->text() == "Start at login")
            action = candidate;
    QVERIFY(action);
    QVERIFY(action->isCheckable());

    QVERIFY(LoginItem().setEnabled(true));
    emit menu->aboutToShow();
    QVERIFY(action->isChecked());
    action->trigger();
    QVERIFY(!QFileInfo::exists(entryPath()));
}

QTEST_MAIN(TestAutostart)
#include "tst_autostart.moc"
