// The tray application's models and widgets under QT_QPA_PLATFORM=offscreen, wired to the real
// proxy and fake backends. Screenshots of every page go to the test output folder.
#include "AppController.h"
#include "ClipboardSetup.h"
#include "FakeBackend.h"
#include "MainWindow.h"
#include "TrayController.h"
#include "models/ModelMapModel.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"
#include "pages/BackendsPage.h"
#include "pages/ModelMapPage.h"
#include "pages/RequestsPage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

RequestRecord record(quint64 id, const QString &model = "claude-sonnet-4-5", int status = 200) {
    RequestRecord r;
    r.id = id;
    r.startedAt = QDateTime::currentDateTime();
    r.endpoint = "messages";
    r.clientModel = model;
    r.backendModel = "qwen2.5-coder:32b";
    r.stream = true;
    r.status = status;
    r.estimatedInputTokens = 18234;
    r.inputTokens = 18012;
    r.outputTokens = 312;
    r.timeToFirstTokenMs = 412;
    r.durationMs = 3210;
    r.stopReason = "end_turn";
    return r;
}

QByteArray messagesBody() {
    return QJsonDocument(
               QJsonObject{{"model", "claude-sonnet-4-5"},
                           {"max_tokens", 64},
                           {"stream", false},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "hello"}}}}})
        .toJson(QJsonDocument::Compact);
}

int post(const QString &address) {
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(address + "/v1/messages"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply *reply = network.post(request, messagesBody());
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(10000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
}

void saveScreenshot(QWidget *widget, const QString &name) {
    QDir().mkpath(MODELRELAY_TEST_OUTPUT_DIR);
    const QString path = QDir(MODELRELAY_TEST_OUTPUT_DIR).filePath(name);
    QVERIFY(widget->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

} // namespace

class TestUi : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void requestLogBatchesAndStaysBounded();
    void totalsPerModel();
    void modelMapModelEdits();
    void modelMapPageChangesTheConfiguration();
    void invalidRulesAreShownNotApplied();
    void trayToggleStartsAndStopsTheProxy();
    void switchingBackendChangesWhereRequestsGo();
    void portInUseIsShownInWords();
    void setupLine();
    void screenshots();

private:
    AppController &makeApp(const std::function<void(ProxyConfig &)> &adjust = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppController> m_app;
};

void TestUi::init() {
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestUi::cleanup() {
    m_app.reset();
    m_dir.reset();
}

AppController &TestUi::makeApp(const std::function<void(ProxyConfig &)> &adjust) {
    auto settings = std::make_unique<SettingsStore>(m_dir->filePath("settings.ini"));
    ProxyConfig config = settings->load();
    config.port = 0;
    if (adjust)
        adjust(config);
    m_app = std::make_unique<AppController>(std::move(settings), config);
    return *m_app;
}

void TestUi::requestLogBatchesAndStaysBounded() {
    RequestLogModel log(10);
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
    for (quint64 i = 1; i <= 5; ++i)
        log.add(record(i));
    QCOMPARE(log.rowCount(), 0); // queued until the next tick
    QTRY_COMPARE(log.rowCount(), 5);
    QCOMPARE(inserted.size(), 1); // five records, one view update
    for (quint64 i = 6; i <= 25; ++i)
        log.add(record(i));
    log.flush();
    QCOMPARE(log.rowCount(), 10);
    QCOMPARE(log.record(0).id, quint64(16));
    QCOMPARE(log.record(9).id, quint64(25));
    QCOMPARE(log.index(9, RequestLogModel::Model).data().toString(),
             QString("claude-sonnet-4-5 → qwen2.5-coder:32b"));
    QCOMPARE(log.index(9, RequestLogModel::FirstToken).data().toString(), QString("412 ms"));
    QCOMPARE(log.index(9, RequestLogModel::Duration).data().toString(), QString("3.21 s"));
    QCOMPARE(log.index(9, RequestLogModel::Output).data().toString(), QLocale().toString(312));
    log.clear();
    QCOMPARE(log.rowCount(), 0);
}

void TestUi::totalsPerModel() {
    ModelTotalsModel totals;
    QAbstractItemModelTester tester(&totals, QAbstractItemModelTester::FailureReportingMode::QtTest);
    totals.add(record(1));
    totals.add(record(2));
    RequestRecord failed = record(3, "claude-haiku-4-5", 502);
    failed.backendModel = "qwen2.5:7b";
    failed.inputTokens.reset();
    failed.outputTokens.reset();
    failed.error = "backend down";
    totals.add(failed);
    RequestRecord count = record(4);
    count.endpoint = "count_tokens";
    totals.add(count); // not a generation: not counted
    QCOMPARE(totals.rowCount(), 2);
    QCOMPARE(totals.index(0, ModelTotalsModel::Requests).data().toInt(), 2);
    QCOMPARE(totals.index(0, ModelTotalsModel::Output).data().toString(), QLocale().toString(624));
    QCOMPARE(totals.index(1, ModelTotalsModel::Model).data().toString(), QString("qwen2.5:7b"));
    QCOMPARE(totals.index(1, ModelTotalsModel::Errors).data().toInt(), 1);
}

void TestUi::modelMapModelEdits() {
    ModelMapModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRules({ModelRule{"claude-*haiku*", "small", 0, 0}, ModelRule{"claude-*", "big", 0, 0}});
    QSignalSpy changed(&model, &ModelMapModel::rulesChanged);
    QVERIFY(model.setData(model.index(1, ModelMapModel::BackendModel), "  qwen2.5-coder:32b "));
    QVERIFY(model.setData(model.index(1, ModelMapModel::MaxTokens), 8192));
    QCOMPARE(model.rules().at(1).backendModel, QString("qwen2.5-coder:32b"));
    QCOMPARE(model.rules().at(1).maxOutputTokens, 8192);
    QCOMPARE(model.index(0, ModelMapModel::MaxTokens).data().toString(), QString("default"));
    QVERIFY(model.moveRow({}, 1, {}, 0));
    QCOMPARE(model.rules().at(0).pattern, QString("claude-*"));
    model.appendRule(ModelRule{"claude-opus-*", "opus-local", 0, 0});
    QVERIFY(model.removeRow(0));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(changed.size(), 5);
    QVERIFY(model.validationError().isEmpty());
}

void TestUi::modelMapPageChangesTheConfiguration() {
    AppController &app = makeApp();
    ModelMapPage page(app);
    QSignalSpy configChanged(&app, &AppController::configChanged);
    const int row = page.model()->appendRule(ModelRule{"claude-sonnet-*", "qwen2.5-coder:32b", 0, 65536});
    QCOMPARE(app.config().modelMap.rules.size(), 1);
    QCOMPARE(app.config().modelMap.rules.at(0).contextSize, 65536);
    page.model()->setData(page.model()->index(row, ModelMapModel::Pattern), "claude-*");
    QCOMPARE(app.config().modelMap.rules.at(0).pattern, QString("claude-*"));
    page.defaultModel()->setCurrentText("llama3.1:8b");
    QCOMPARE(app.config().modelMap.defaultModel, QString("llama3.1:8b"));
    QVERIFY(configChanged.size() >= 3);
    // ... and it is saved.
    const ProxyConfig saved = SettingsStore(m_dir->filePath("settings.ini")).load();
    QCOMPARE(saved.modelMap.rules.at(0).pattern, QString("claude-*"));
    QCOMPARE(saved.modelMap.defaultModel, QString("llama3.1:8b"));
}

void TestUi::invalidRulesAreShownNotApplied() {
    AppController &app = makeApp();
    ModelMapPage page(app);
    page.model()->appendRule(ModelRule{"claude-*", "good", 0, 0});
    page.model()->appendRule(ModelRule{"claude-haiku", "", 0, 0});
    QVERIFY(page.validation()->text().contains("Rule 2 (claude-haiku) has no backend model"));
    QCOMPARE(app.config().modelMap.rules.size(), 1); // the last valid map stays in force
    page.model()->appendRule(ModelRule{"claude-*", "dup", 0, 0});
    page.model()->removeRow(1);
    QVERIFY(page.validation()->text().contains("repeats"));
}

void TestUi::trayToggleStartsAndStopsTheProxy() {
    AppController &app = makeApp();
    TrayController tray(app);
    QSignalSpy states(&app, &AppController::stateChanged);
    QCOMPARE(tray.toggleAction()->text(), QString("Start proxy"));
    tray.toggleAction()->trigger();
    QTRY_COMPARE(app.state(), AppController::State::Running);
    QVERIFY(app.address().startsWith("http://127.0.0.1:"));
    QCOMPARE(tray.toggleAction()->text(), QString("Stop proxy"));
    QVERIFY(tray.copySetupAction()->isEnabled());
    tray.toggleAction()->trigger();
    QTRY_COMPARE(app.state(), AppController::State::Stopped);
    QCOMPARE(tray.toggleAction()->text(), QString("Start proxy"));
    QVERIFY(!tray.copySetupAction()->isEnabled());
}

void TestUi::switchingBackendChangesWhereRequestsGo() {
    FakeBackend ollama(FakeBackend::Kind::Ollama);
    FakeBackend openai(FakeBackend::Kind::OpenAI);
    QVERIFY(ollama.listen());
    QVERIFY(openai.listen());
    AppController &app = makeApp([&](ProxyConfig &c) {
        c.backend.baseUrl = QUrl(ollama.baseUrl());
        c.modelMap.defaultModel = "fake-model";
    });
    BackendProfile second = app.profiles().at(1);
    second.baseUrl = QUrl(openai.baseUrl());
    app.updateProfile(1, second);
    TrayController tray(app);
    QCOMPARE(tray.backendActions().size(), 2);
    QVERIFY(tray.backendActions().at(0)->isChecked());
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Running);

    QCOMPARE(post(app.address()), 200);
    QCOMPARE(ollama.requests().size(), 1);
    QCOMPARE(openai.requests().size(), 0);

    tray.backendActions().at(1)->trigger(); // the tray's Backend menu
    QTRY_VERIFY(tray.backendActions().at(1)->isChecked());
    QCOMPARE(app.config().backend.kind, BackendKind::OpenAI);
    QTest::qWait(50); // the new configuration reaches the worker thread
    QCOMPARE(post(app.address()), 200);
    QCOMPARE(openai.requests().size(), 1);
    QCOMPARE(ollama.requests().size(), 1);
    QCOMPARE(SettingsStore(m_dir->filePath("settings.ini")).activeProfileIndex(), 1);
}

void TestUi::portInUseIsShownInWords() {
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    AppController &app = makeApp([&](ProxyConfig &c) { c.port = blocker.serverPort(); });
    RequestLogModel log;
    ModelTotalsModel totals;
    MainWindow window(app, &log, &totals);
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Failed);
    QVERIFY(app.lastError().contains("already in use"));
    const QList<QLabel *> labels = window.findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.begin(), labels.end(),
                        [](QLabel *l) { return l->text().contains("already in use"); }));
    QCOMPARE(window.toggleButton()->text(), QString("Start proxy"));
}

void TestUi::setupLine() {
    QCOMPARE(ClipboardSetup::setupLine("http://127.0.0.1:8787", ClipboardSetup::Shell::Posix),
             QString("export ANTHROPIC_BASE_URL=http://127.0.0.1:8787 ANTHROPIC_API_KEY=modelrelay"));
    QCOMPARE(
        ClipboardSetup::setupLine("http://127.0.0.1:8787", ClipboardSetup::Shell::PowerShell),
        QString("$env:ANTHROPIC_BASE_URL=\"http://127.0.0.1:8787\"; $env:ANTHROPIC_API_KEY=\"modelrelay\""));
}

void TestUi::screenshots() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    AppController &app = makeApp([&](ProxyConfig &c) {
        c.backend.baseUrl = QUrl(backend.baseUrl());
        c.backend.apiKey = "sk-do-not-show-me";
        c.modelMap.rules = {ModelRule{"claude-*haiku*", "qwen2.5:7b", 0, 16384},
                            ModelRule{"claude-sonnet-*", "qwen2.5-coder:32b", 8192, 65536}};
        c.modelMap.defaultModel = "qwen2.5-coder:32b";
    });
    RequestLogModel log;
    ModelTotalsModel totals;
    QObject::connect(&app, &AppController::requestFinished, &log, &RequestLogModel::add);
    QObject::connect(&app, &AppController::requestFinished, &totals, &ModelTotalsModel::add);
    MainWindow window(app, &log, &totals);
    window.resize(1100, 700);
    window.show();
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Running);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(post(app.address()), 200);
    QTRY_COMPARE(log.rowCount(), 3);
    window.requestsPage()->table()->selectRow(2);
    QVERIFY(window.requestsPage()->details()->toPlainText().contains("qwen2.5-coder:32b"));
    QVERIFY(!window.requestsPage()->details()->toPlainText().contains("sk-do-not-show-me"));
    saveScreenshot(&window, "main-window-requests.png");

    window.tabs()->setCurrentWidget(window.modelMapPage());
    window.modelMapPage()->setBackendModels({"llama3.1:8b", "qwen2.5-coder:32b", "qwen2.5:7b"});
    saveScreenshot(&window, "main-window-model-map.png");

    window.tabs()->setCurrentWidget(window.backendsPage());
    window.backendsPage()->list()->setCurrentRow(0);
    QCOMPARE(window.backendsPage()->apiKey()->echoMode(), QLineEdit::Password);
    window.backendsPage()->testButton()->click();
    QTRY_VERIFY(window.backendsPage()->testResult()->text().contains("fake-model:latest"));
    saveScreenshot(&window, "main-window-backends.png");
}

QTEST_MAIN(TestUi)
#include "tst_ui.moc"
