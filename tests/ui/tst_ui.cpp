// The tray application's models and widgets under QT_QPA_PLATFORM=offscreen, wired to the real
// proxy and fake backends. Screenshots of every page go to the test output folder.
#include "AboutDialog.h"
#include "AppController.h"
#include "FakeBackend.h"
#include "MainWindow.h"
#include "SingleInstance.h"
#include "TrayController.h"
#include "models/ModelMapModel.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"
#include "pages/BackendsPage.h"
#include "pages/ModelMapPage.h"
#include "pages/RequestsPage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

Q_DECLARE_METATYPE(modelrelay::ModelRule)

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
    void requestLogShowsRecordFields();
    void totalsPerModel();
    void modelMapModelEdits();
    void modelMapValidation_data();
    void modelMapValidation();
    void modelMapPageChangesTheConfiguration();
    void editingTheTableChangesTheConfiguration();
    void invalidRulesAreShownNotApplied();
    void overridesOfThisRunAreNotSaved();
    void trayToggleStartsAndStopsTheProxy();
    void promptOllamaWouldCutIsAnnounced();
    void switchingBackendChangesWhereRequestsGo();
    void portInUseIsShownInWords();
    void badUrlAndFailingBackendAreShownInWords();
    void secondInstanceAsksTheFirstToShow();
    void staleLockIsRecovered();
    void aboutNamesTheLicence();
    void trayIconsReadableAt16px();
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

void TestUi::requestLogShowsRecordFields() {
    RequestLogModel log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RequestRecord json = record(1);
    json.stream = false;
    json.startedAt = QDateTime(QDate(2026, 1, 2), QTime(9, 8, 7));
    json.durationMs = 640;
    json.inputTokens.reset();
    RequestRecord failed = record(2, "claude-haiku-4-5", 502);
    failed.backendModel.clear();
    failed.timeToFirstTokenMs = -1;
    failed.error = "backend unreachable: connection refused";
    RequestRecord count = record(3);
    count.endpoint = "count_tokens";
    for (const RequestRecord &r : {json, failed, count})
        log.add(r);
    log.flush();
    QCOMPARE(log.rowCount(), 3);
    auto cell = [&](int row, int column) { return log.index(row, column).data().toString(); };
    QCOMPARE(cell(0, RequestLogModel::Time), QString("09:08:07"));
    QCOMPARE(cell(0, RequestLogModel::Mode), QString("json"));
    QCOMPARE(cell(0, RequestLogModel::Status), QString("200"));
    QCOMPARE(cell(0, RequestLogModel::EstimatedInput), QLocale().toString(18234));
    QCOMPARE(cell(0, RequestLogModel::Input), QString()); // not reported by the backend
    QCOMPARE(cell(0, RequestLogModel::Duration), QString("640 ms"));
    QCOMPARE(cell(1, RequestLogModel::Model), QString("claude-haiku-4-5"));
    QCOMPARE(cell(1, RequestLogModel::Mode), QString("stream"));
    QCOMPARE(cell(1, RequestLogModel::FirstToken), QString());
    QCOMPARE(log.index(1, RequestLogModel::Status).data(Qt::ToolTipRole).toString(), failed.error);
    QVERIFY(log.index(1, RequestLogModel::Status).data(Qt::ForegroundRole).isValid());
    QVERIFY(!log.index(0, RequestLogModel::Status).data(Qt::ForegroundRole).isValid());
    QVERIFY(!log.index(0, RequestLogModel::EstimatedInput).data(Qt::ForegroundRole).isValid());
    QCOMPARE(cell(2, RequestLogModel::Model), QString("claude-sonnet-4-5 (count tokens)"));
    QCOMPARE(log.index(2, 0).data(RequestLogModel::RecordRole).value<RequestRecord>().id, quint64(3));
    RequestRecord cut = record(4);
    cut.warning = "prompt of ~40000 tokens does not fit num_ctx 32768: Ollama will cut it";
    log.add(cut);
    log.flush();
    QVERIFY(log.index(3, RequestLogModel::EstimatedInput).data(Qt::ForegroundRole).isValid());
    QCOMPARE(log.index(3, RequestLogModel::Model).data(Qt::ToolTipRole).toString(), cut.warning);
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
    // 18234 estimated vs 18012 counted, twice: 1.2 % off; none for the failed request.
    QCOMPARE(totals.index(0, ModelTotalsModel::EstimateError).data().toString(), QString("1.2 %"));
    QCOMPARE(totals.index(1, ModelTotalsModel::EstimateError).data().toString(), QString());
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

void TestUi::modelMapValidation_data() {
    QTest::addColumn<QList<ModelRule>>("rules");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty map") << QList<ModelRule>{} << QString();
    QTest::newRow("valid") << QList<ModelRule>{{"claude-*haiku*", "qwen2.5:7b", 0, 0},
                                               {"claude-*", "big", 0, 0}}
                           << QString();
    QTest::newRow("no pattern") << QList<ModelRule>{{"claude-*", "big", 0, 0}, {"", "small", 0, 0}}
                                << "Rule 2 has no Claude model name or glob.";
    QTest::newRow("no backend model")
        << QList<ModelRule>{{"claude-haiku", "", 0, 0}} << "Rule 1 (claude-haiku) has no backend model.";
    QTest::newRow("repeated pattern")
        << QList<ModelRule>{{"claude-*", "a", 0, 0}, {"claude-opus", "b", 0, 0}, {"claude-*", "c", 0, 0}}
        << "Rule 3 repeats \"claude-*\" from rule 1 and will never match.";
}

void TestUi::modelMapValidation() {
    QFETCH(QList<ModelRule>, rules);
    QFETCH(QString, expected);
    ModelMapModel model;
    model.setRules(rules);
    QCOMPARE(model.validationError(), expected);
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

void TestUi::editingTheTableChangesTheConfiguration() {
    AppController &app = makeApp([](ProxyConfig &c) {
        c.modelMap.rules = {ModelRule{"claude-*haiku*", "qwen2.5:7b", 0, 0},
                            ModelRule{"claude-sonnet-*", "qwen2.5-coder:32b", 0, 0}};
    });
    ModelMapPage page(app);
    page.setBackendModels({"llama3.1:8b", "qwen2.5-coder:32b"});
    page.resize(800, 400);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTableView *table = page.table();

    // Type a new pattern into the first cell, as a user would.
    const QModelIndex pattern = page.model()->index(0, ModelMapModel::Pattern);
    table->setCurrentIndex(pattern);
    table->edit(pattern);
    auto *line = table->viewport()->findChild<QLineEdit *>();
    QVERIFY(line);
    line->selectAll();
    QTest::keyClicks(line, "claude-3-5-haiku*");
    QTest::keyClick(line, Qt::Key_Return);
    QTRY_COMPARE(app.config().modelMap.rules.at(0).pattern, QString("claude-3-5-haiku*"));

    // The backend model is picked from the fetched list.
    const QModelIndex backend = page.model()->index(0, ModelMapModel::BackendModel);
    table->setCurrentIndex(backend);
    table->edit(backend);
    auto *combo = table->viewport()->findChild<QComboBox *>();
    QVERIFY(combo);
    QCOMPARE(combo->count(), 2);
    QVERIFY(combo->isEditable()); // ... or typed
    combo->setCurrentIndex(0);
    QTest::keyClick(combo, Qt::Key_Return);
    QTRY_COMPARE(app.config().modelMap.rules.at(0).backendModel, QString("llama3.1:8b"));

    // Reordering: the second rule moves up and now matches first.
    table->setCurrentIndex(page.model()->index(1, ModelMapModel::Pattern));
    auto buttons = page.findChildren<QPushButton *>();
    auto up = std::find_if(buttons.begin(), buttons.end(), [](auto *b) { return b->text() == "Move up"; });
    QVERIFY(up != buttons.end());
    (*up)->click();
    QCOMPARE(app.config().modelMap.rules.at(0).pattern, QString("claude-sonnet-*"));
    QCOMPARE(app.config().modelMap.resolve("claude-3-5-haiku-20241022")->backendModel,
             QString("llama3.1:8b"));
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

void TestUi::overridesOfThisRunAreNotSaved() {
    const QString path = m_dir->filePath("settings.ini");
    {
        SettingsStore store(path);
        ProxyConfig saved = store.load();
        saved.port = 8787;
        saved.modelMap.defaultModel = "saved-model";
        store.save(saved);
    }
    // As if started with --port 0 and OLLAMA_BASE_URL / an API key in the environment.
    AppController &app = makeApp([](ProxyConfig &c) {
        c.port = 0;
        c.backend.baseUrl = QUrl("http://10.0.0.5:11434");
        c.backend.apiKey = "from-the-environment";
    });
    QCOMPARE(app.profiles().at(0).baseUrl, QUrl("http://10.0.0.5:11434")); // what runs is shown

    app.setModelMap({ModelRule{"claude-*", "edited-model", 0, 0}}, "edited-default");
    BackendProfile profile = app.profiles().at(0);
    profile.ollamaContextSize = 65536; // the user edits one field of the overridden profile
    app.updateProfile(0, profile);
    QCOMPARE(app.config().backend.ollamaContextSize, 65536);
    QCOMPARE(app.config().backend.baseUrl, QUrl("http://10.0.0.5:11434"));

    const SettingsStore store(path);
    const ProxyConfig saved = store.load();
    QCOMPARE(saved.port, quint16(8787));
    QCOMPARE(saved.modelMap.defaultModel, QString("edited-default"));
    QCOMPARE(saved.modelMap.rules.at(0).backendModel, QString("edited-model"));
    QCOMPARE(saved.backend.ollamaContextSize, 65536);
    QCOMPARE(saved.backend.baseUrl, QUrl("http://127.0.0.1:11434"));
    QCOMPARE(saved.backend.apiKey, QString());
}

void TestUi::promptOllamaWouldCutIsAnnounced() {
    FakeBackend ollama(FakeBackend::Kind::Ollama);
    QVERIFY(ollama.listen());
    ollama.setOllamaContextLength(8192);
    AppController &app = makeApp([&](ProxyConfig &c) {
        c.backend.kind = BackendKind::Ollama;
        c.backend.baseUrl = QUrl(ollama.baseUrl());
        c.modelMap.defaultModel = "fake-model";
    });
    QSignalSpy announced(&app, &AppController::errorOccurred);
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Running);
    const QJsonObject request{
        {"model", "claude-sonnet-4-5"},
        {"max_tokens", 1024},
        {"messages",
         QJsonArray{QJsonObject{{"role", "user"}, {"content", QString("word ").repeated(12000)}}}}};
    QNetworkAccessManager network;
    QNetworkRequest post(QUrl(app.address() + "/v1/messages"));
    post.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply *reply = network.post(post, QJsonDocument(request).toJson(QJsonDocument::Compact));
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200); // answered, but cut
    QTRY_COMPARE(announced.size(), 1);
    QVERIFY2(announced.first().first().toString().contains("Ollama will cut it"),
             qPrintable(announced.first().first().toString()));
    reply->deleteLater();
}

void TestUi::trayToggleStartsAndStopsTheProxy() {
    AppController &app = makeApp();
    TrayController tray(app);
    QCOMPARE(tray.toggleAction()->text(), QString("Start proxy on 127.0.0.1, any free port"));
    QVERIFY(!tray.copySetupAction()->isEnabled());
    tray.toggleAction()->trigger();
    QTRY_COMPARE(app.state(), AppController::State::Running);
    QVERIFY(app.address().startsWith("http://127.0.0.1:"));
    QCOMPARE(tray.toggleAction()->text(), "Stop proxy on " + app.address());
    QCOMPARE(app.service().listenAddress(), app.address());
    QVERIFY(tray.copySetupAction()->isEnabled());
    tray.copySetupAction()->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(),
             "export ANTHROPIC_BASE_URL=" + app.address() + " ANTHROPIC_API_KEY=modelrelay");
    tray.toggleAction()->trigger();
    QTRY_COMPARE(app.state(), AppController::State::Stopped);
    QVERIFY(!app.service().isRunning());
    QCOMPARE(tray.toggleAction()->text(), QString("Start proxy on 127.0.0.1, any free port"));
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

    // A slow answer is in flight on Ollama when the user switches: it finishes there.
    FakeBackend::Reply slow;
    slow.text = {"still from ollama"};
    slow.firstByteDelayMs = 400;
    ollama.enqueue(slow);
    QSignalSpy finished(&app, &AppController::requestFinished);
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(app.address() + "/v1/messages"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    std::unique_ptr<QNetworkReply> inFlight(network.post(request, messagesBody()));
    QTRY_COMPARE(ollama.requests().size(), 2);

    tray.backendActions().at(1)->trigger(); // the tray's Backend menu
    QVERIFY(tray.backendActions().at(1)->isChecked());
    QCOMPARE(tray.menu()->actions().at(3)->text(), QString("Backend: OpenAI-compatible (local)"));
    QCOMPARE(app.config().backend.kind, BackendKind::OpenAI);
    QTRY_VERIFY(inFlight->isFinished());
    QCOMPARE(inFlight->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(inFlight->readAll().contains("still from ollama"));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<RequestRecord>().backendName, QString("Ollama (local)"));
    QCOMPARE(openai.requests().size(), 0);

    QCOMPARE(post(app.address()), 200);
    QCOMPARE(openai.requests().size(), 1);
    QCOMPARE(openai.requests().at(0).path, QByteArray("/v1/chat/completions"));
    QCOMPARE(ollama.requests().size(), 2);
    QCOMPARE(ollama.requests().at(0).path, QByteArray("/api/chat"));
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

void TestUi::badUrlAndFailingBackendAreShownInWords() {
    QTcpServer closed; // a port nobody listens on
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 deadPort = closed.serverPort();
    closed.close();
    AppController &app = makeApp();
    BackendsPage page(app);
    page.list()->setCurrentRow(0);
    const QUrl before = app.profiles().at(0).baseUrl;

    page.baseUrl()->setText("localhost:11434");
    page.testButton()->click();
    QCOMPARE(page.testResult()->text(),
             QString("<span style='color:#c0392b'>'localhost:11434' is not an http(s) URL, "
                     "e.g. http://127.0.0.1:11434</span>"));
    QCOMPARE(app.profiles().at(0).baseUrl, before); // not applied

    page.baseUrl()->setText(QString("http://127.0.0.1:%1").arg(deadPort));
    page.testButton()->click();
    QCOMPARE(app.config().backend.baseUrl, QUrl(QString("http://127.0.0.1:%1").arg(deadPort)));
    QTRY_VERIFY(page.testResult()->text().contains("could not connect"));
    QVERIFY(page.testResult()->text().contains(QString("127.0.0.1:%1").arg(deadPort)));
    QVERIFY(page.testResult()->text().contains("connection refused"));
}

void TestUi::secondInstanceAsksTheFirstToShow() {
    const QString key = "test-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
    SingleInstance first(key);
    QVERIFY(first.claim());
    QVERIFY(QFile::exists(first.lockFilePath()));
    QSignalSpy shown(&first, &SingleInstance::showRequested);
    SingleInstance second(key);
    QVERIFY(!second.claim());
    QTRY_COMPARE(shown.size(), 1);
    SingleInstance other("test-" + QUuid::createUuid().toString(QUuid::WithoutBraces));
    QVERIFY(other.claim()); // another user's (or settings file's) instance is independent
}

void TestUi::staleLockIsRecovered() {
    const QString key = "test-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
    SingleInstance instance(key);
    // What a crashed instance leaves behind: a lock naming a process that no longer runs
    // (PIDs never reach 2^30 on Linux; 4194304 is the ceiling).
    QFile leftover(instance.lockFilePath());
    QVERIFY(leftover.open(QIODevice::WriteOnly));
    leftover.write("1073741823\nmodelrelay\n\n");
    leftover.close();
    QVERIFY(instance.claim());
    QFile lock(instance.lockFilePath());
    QVERIFY(lock.open(QIODevice::ReadOnly));
    QCOMPARE(lock.readLine().trimmed(), QByteArray::number(QCoreApplication::applicationPid()));
}

void TestUi::aboutNamesTheLicence() {
    AppController &app = makeApp();
    RequestLogModel log;
    ModelTotalsModel totals;
    MainWindow window(app, &log, &totals);
    AboutDialog *about = window.showAbout();
    const QString text = about->description()->text();
    QVERIFY(text.contains("GNU General Public License v3.0"));
    QVERIFY(text.contains("<a href='license'>LICENSE</a>"));
    QVERIFY(AboutDialog::licenseText().startsWith("                    GNU GENERAL PUBLIC LICENSE\n"
                                                  "                       Version 3, 29 June 2007"));
    about->adjustSize();
    saveScreenshot(about, "about.png");
    about->showLicense();
    auto *licence = about->findChild<QPlainTextEdit *>();
    QVERIFY(licence);
    QVERIFY(licence->toPlainText().contains("Version 3, 29 June 2007"));
}

void TestUi::trayIconsReadableAt16px() {
    struct Case {
        AppController::State state;
        QColor fill;
        QPoint glyph; // a pixel of the white glyph at 16 px
    };
    // Running and stopped show the relay glyph (its left node); an error shows "!" (its bar).
    const QList<Case> cases = {{AppController::State::Running, QColor("#2e9e4f"), QPoint(4, 8)},
                               {AppController::State::Stopped, QColor("#8a8f98"), QPoint(4, 8)},
                               {AppController::State::Starting, QColor("#8a8f98"), QPoint(4, 8)},
                               {AppController::State::Failed, QColor("#d0342c"), QPoint(7, 5)}};
    // One strip per panel colour, icons at 16 px (and 22/32 as panels use), for a person to look at.
    const QList<QColor> panels = {QColor("#f5f5f5"), QColor("#2b2b2b")};
    QImage strip(3 * 40 * cases.size() + 8, 40 * panels.size(), QImage::Format_ARGB32);
    QPainter painter(&strip);
    for (int p = 0; p < panels.size(); ++p) {
        painter.fillRect(0, 40 * p, strip.width(), 40, panels.at(p));
        for (int c = 0; c < cases.size(); ++c) {
            const QIcon icon = TrayController::iconFor(cases.at(c).state);
            int x = 8 + c * 120;
            for (int size : {16, 22, 32}) {
                painter.drawPixmap(x, 40 * p + (40 - size) / 2, icon.pixmap(size, size));
                x += size + 8;
            }
        }
    }
    painter.end();
    QDir().mkpath(MODELRELAY_TEST_OUTPUT_DIR);
    QVERIFY(strip.save(QDir(MODELRELAY_TEST_OUTPUT_DIR).filePath("tray-icons.png")));

    for (const Case &c : cases) {
        const QImage image = TrayController::iconFor(c.state).pixmap(16, 16).toImage();
        QCOMPARE(image.size(), QSize(16, 16)); // the SVG plugin rendered it
        // An opaque badge in the state's colour with a white glyph: readable on light and dark panels.
        const QColor badge = image.pixelColor(1, 8);
        QVERIFY2(qAbs(badge.red() - c.fill.red()) < 24 && qAbs(badge.green() - c.fill.green()) < 24 &&
                     qAbs(badge.blue() - c.fill.blue()) < 24 && badge.alpha() == 255,
                 qPrintable(badge.name(QColor::HexArgb)));
        const QColor glyph = image.pixelColor(c.glyph);
        QVERIFY2(glyph.red() > 230 && glyph.green() > 230 && glyph.blue() > 230,
                 qPrintable(glyph.name(QColor::HexArgb)));
    }
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
    // Add what a real session also shows: a long streamed turn, a backend failure, a token count.
    RequestRecord streamed = record(4);
    RequestRecord haiku = record(5, "claude-haiku-4-5", 200);
    haiku.backendModel = "qwen2.5:7b";
    haiku.estimatedInputTokens = 412;
    haiku.inputTokens = 398;
    haiku.outputTokens = 9;
    haiku.timeToFirstTokenMs = 95;
    haiku.durationMs = 180;
    haiku.stream = false;
    RequestRecord failed = record(6, "claude-sonnet-4-5", 502);
    failed.inputTokens.reset();
    failed.outputTokens.reset();
    failed.timeToFirstTokenMs = -1;
    failed.durationMs = 15;
    failed.error = "The backend refused the connection (http://127.0.0.1:11434/api/chat).";
    failed.stopReason.clear();
    failed.backendName = "Ollama (local)";
    failed.notes = {"max_tokens 32000 capped to 8192 (model rule claude-sonnet-*)"};
    RequestRecord count = record(7);
    count.endpoint = "count_tokens";
    count.inputTokens.reset();
    count.outputTokens.reset();
    count.timeToFirstTokenMs = -1;
    count.durationMs = 2;
    for (const RequestRecord &r : {streamed, haiku, failed, count}) {
        log.add(r);
        totals.add(r);
    }
    log.flush();
    window.requestsPage()->table()->selectRow(2);
    QVERIFY(window.requestsPage()->details()->toPlainText().contains("qwen2.5-coder:32b"));
    QVERIFY(!window.requestsPage()->details()->toPlainText().contains("sk-do-not-show-me"));
    // The bodies as translated: the client's request, what went to Ollama, what came back.
    QVERIFY(window.requestsPage()->bodyView(0)->toPlainText().contains("\"model\": \"claude-sonnet-4-5\""));
    QVERIFY(window.requestsPage()->bodyView(1)->toPlainText().contains("\"num_ctx\""));
    QVERIFY(window.requestsPage()->bodyView(2)->toPlainText().contains("\"type\": \"message\""));
    for (int i = 0; i < 3; ++i)
        QVERIFY(!window.requestsPage()->bodyView(i)->toPlainText().contains("sk-do-not-show-me"));
    saveScreenshot(&window, "main-window-requests.png");
    window.requestsPage()->table()->selectRow(5);
    QVERIFY(window.requestsPage()->details()->toPlainText().contains(
        "Error: The backend refused the connection (http://127.0.0.1:11434/api/chat)."));
    QVERIFY(window.requestsPage()->details()->toPlainText().contains(
        "  • max_tokens 32000 capped to 8192 (model rule claude-sonnet-*)"));
    saveScreenshot(&window, "main-window-requests-error.png");

    window.tabs()->setCurrentWidget(window.modelMapPage());
    window.modelMapPage()->setBackendModels({"llama3.1:8b", "qwen2.5-coder:32b", "qwen2.5:7b"});
    saveScreenshot(&window, "main-window-model-map.png");

    window.tabs()->setCurrentWidget(window.backendsPage());
    window.backendsPage()->list()->setCurrentRow(0);
    QCOMPARE(window.backendsPage()->apiKey()->echoMode(), QLineEdit::Password);
    window.backendsPage()->testButton()->click();
    QTRY_VERIFY(window.backendsPage()->testResult()->text().contains("fake-model:latest"));
    saveScreenshot(&window, "main-window-backends.png");

    TrayController tray(app);
    tray.menu()->adjustSize();
    saveScreenshot(tray.menu(), "tray-menu.png");
}

QTEST_MAIN(TestUi)
#include "tst_ui.moc"
