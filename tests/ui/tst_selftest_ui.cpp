// The "Run self-test" button of the backends page, offscreen: it runs the self-test against the
// selected profile without blocking the window and lists every capability with its reason.
#include "AppController.h"
#include "FakeBackend.h"
#include "pages/BackendsPage.h"
#include "pages/SelfTestDialog.h"

#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

void saveScreenshot(QWidget *widget, const QString &name) {
    QDir().mkpath(MODELRELAY_TEST_OUTPUT_DIR);
    const QString path = QDir(MODELRELAY_TEST_OUTPUT_DIR).filePath(name);
    QVERIFY(widget->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

QStringList column(QTableWidget *table, int column) {
    QStringList cells;
    for (int row = 0; row < table->rowCount(); ++row)
        cells.append(table->item(row, column)->text());
    return cells;
}

} // namespace

class TestSelfTestUi : public QObject {
    Q_OBJECT
private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void cleanup() {
        m_app.reset();
        m_dir.reset();
    }

    void runsAgainstTheSelectedProfileAndShowsEachCapability() {
        FakeBackend backend(FakeBackend::Kind::Ollama);
        QVERIFY(backend.listen());
        AppController &app = makeApp(backend);
        BackendsPage page(app);
        page.resize(900, 500);
        page.show();
        page.list()->setCurrentRow(0);
        QCOMPARE(page.selfTestButton()->text(), QString("Run self-test"));

        page.selfTestButton()->click();
        SelfTestDialog *dialog = page.selfTestDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        // The click returned before any answer: the run goes on in the event loop.
        QVERIFY(dialog->isRunning());
        QCOMPARE(dialog->table()->rowCount(), 0);

        QSignalSpy done(dialog, &SelfTestDialog::selfTestFinished);
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().first().toBool(), true);
        QCOMPARE(dialog->table()->rowCount(), 8);
        QCOMPARE(column(dialog->table(), 1), QStringList(8, "PASS"));
        QVERIFY(column(dialog->table(), 0).contains("Tool call (first turn, full tool list)"));
        QVERIFY(column(dialog->table(), 3).contains(R"(called Read {"file_path":"/tmp/hello.txt"})"));
        QVERIFY2(dialog->summary()->text().contains("All 6 required capabilities passed."),
                 qPrintable(dialog->summary()->text()));
        QVERIFY(!backend.requests().isEmpty());
        saveScreenshot(dialog, "selftest-pass.png");
    }

    void toolCallFailureIsShownWithItsReason() {
        FakeBackend backend(FakeBackend::Kind::OpenAI);
        backend.setCallsTools(false);
        QVERIFY(backend.listen());
        AppController &app = makeApp(backend);
        BackendsPage page(app);
        page.list()->setCurrentRow(0);
        page.selfTestButton()->click();
        SelfTestDialog *dialog = page.selfTestDialog();
        QSignalSpy done(dialog, &SelfTestDialog::selfTestFinished);
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().first().toBool(), false);
        const int toolRow = int(column(dialog->table(), 0).indexOf("Tool call (first turn, full tool list)"));
        QVERIFY(toolRow >= 0);
        QCOMPARE(dialog->table()->item(toolRow, 1)->text(), QString("FAIL"));
        QVERIFY(dialog->table()
                    ->item(toolRow, 3)
                    ->text()
                    .startsWith("model answered the tool request in plain text"));
        QVERIFY(dialog->summary()->text().contains("did not pass: Tool call (first turn, full tool list)"));
        QVERIFY(dialog->runAgainButton()->isEnabled());
        saveScreenshot(dialog, "selftest-tool-failure.png");

        // Run again reuses the same window and starts from an empty table.
        dialog->runAgainButton()->click();
        QCOMPARE(dialog->table()->rowCount(), 0);
        QVERIFY(!dialog->runAgainButton()->isEnabled());
        QVERIFY(done.wait(30000));
        QCOMPARE(dialog->table()->rowCount(), 8);
    }

private:
    AppController &makeApp(const FakeBackend &backend) {
        auto settings = std::make_unique<SettingsStore>(m_dir->filePath("settings.ini"));
        ProxyConfig config = settings->load();
        config.port = 0;
        config.backend.kind =
            backend.kind() == FakeBackend::Kind::Ollama ? BackendKind::Ollama : BackendKind::OpenAI;
        config.backend.name = backend.kind() == FakeBackend::Kind::Ollama ? "Fake Ollama" : "Fake OpenAI";
        config.backend.baseUrl = QUrl(backend.baseUrl());
        config.modelMap.defaultModel = "fake-model";
        m_app = std::make_unique<AppController>(std::move(settings), config);
        return *m_app;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppController> m_app;
};

QTEST_MAIN(TestSelfTestUi)
#include "tst_selftest_ui.moc"
