// "Learned from the backend" on the Model map page, offscreen, against the real proxy: what is in
// the learned file and what a request teaches show per model; forgetting removes the row and the
// file's entries. A screenshot goes to the test output folder.
#include "AppController.h"
#include "FakeBackend.h"
#include "backends/LearnedLimits.h"
#include "models/LearnedModelsModel.h"
#include "pages/LearnedLimitsView.h"
#include "pages/ModelMapPage.h"
#include "tokens/TokenCalibration.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

QByteArray messagesBody() {
    return QJsonDocument(
               QJsonObject{
                   {"model", "claude-sonnet-4-5"},
                   {"max_tokens", 64},
                   {"stream", false},
                   {"messages",
                    QJsonArray{QJsonObject{
                        {"role", "user"},
                        {"content", QString("Say hello to the learned limits view. ").repeated(200)}}}}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject post(const QString &url, const QByteArray &body) {
    QNetworkAccessManager network;
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply *reply = network.post(request, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(10000);
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return json;
}

void saveScreenshot(QWidget *widget, const QString &name) {
    QDir().mkpath(MODELRELAY_TEST_OUTPUT_DIR);
    const QString path = QDir(MODELRELAY_TEST_OUTPUT_DIR).filePath(name);
    QVERIFY(widget->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

int rowOf(const LearnedModelsModel &model, const QString &name) {
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.modelName(row) == name)
            return row;
    }
    return -1;
}

QString cell(const LearnedModelsModel &model, const QString &name, int column) {
    return model.index(rowOf(model, name), column).data().toString();
}

} // namespace

class TestLearnedUi : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void showsWhatWasLearnedAndForgets();
    void forgetBeforeStartKeepsTheFile();
    void modelKeepsSelectionWhenValuesChange();
    void setupLineFollowsWhatOllamaReported();

private:
    AppController &makeApp(const QString &backendUrl);
    void seed();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppController> m_app;
    QString m_learned;
};

void TestLearnedUi::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    m_learned = m_dir->filePath("learned.ini");
}

void TestLearnedUi::cleanup() {
    m_app.reset();
    m_dir.reset();
}

AppController &TestLearnedUi::makeApp(const QString &backendUrl) {
    auto settings = std::make_unique<SettingsStore>(m_dir->filePath("settings.ini"));
    ProxyConfig config = settings->load();
    config.port = 0;
    config.learnedFile = m_learned;
    config.backend.kind = BackendKind::Ollama;
    config.backend.baseUrl = QUrl(backendUrl);
    config.modelMap.defaultModel = "fake-model";
    m_app = std::make_unique<AppController>(std::move(settings), config);
    return *m_app;
}

// As earlier runs of the proxy would have left the file.
void TestLearnedUi::seed() {
    {
        // Claude Code-sized prompts: small ones barely move a ratio.
        TokenCalibration calibration(m_learned);
        for (int i = 0; i < 3; ++i) {
            calibration.observe("qwen2.5-coder:32b", 100000, 112000);
            calibration.observe("ns/llama3.1:8b", 100000, 90000);
        }
    }
    LearnedLimits limits(m_learned);
    limits.learnMaxOutputTokens("ns/llama3.1:8b", 4096);
    limits.learnMaxOutputTokens("gpt-4o-mini", 16384);
}

void TestLearnedUi::showsWhatWasLearnedAndForgets() {
    seed();
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    AppController &app = makeApp(backend.baseUrl());
    ModelMapPage page(app);
    page.resize(1000, 760);
    page.show();
    LearnedLimitsView *view = page.learned();
    QVERIFY(view);
    LearnedModelsModel &model = *view->model();
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Running);

    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(model.modelName(0), QString("gpt-4o-mini")); // sorted by name
    QCOMPARE(cell(model, "qwen2.5-coder:32b", LearnedModelsModel::Ratio), QString("×1.12"));
    QCOMPARE(cell(model, "qwen2.5-coder:32b", LearnedModelsModel::Samples), QString("3"));
    QCOMPARE(cell(model, "qwen2.5-coder:32b", LearnedModelsModel::MaxOutputTokens), QString("—"));
    QCOMPARE(cell(model, "ns/llama3.1:8b", LearnedModelsModel::Ratio), QString("×0.90"));
    QCOMPARE(cell(model, "ns/llama3.1:8b", LearnedModelsModel::MaxOutputTokens), QLocale().toString(4096));
    QCOMPARE(cell(model, "gpt-4o-mini", LearnedModelsModel::Ratio), QString("—"));
    QCOMPARE(cell(model, "gpt-4o-mini", LearnedModelsModel::MaxOutputTokens), QLocale().toString(16384));

    // A request teaches the token ratio of the model it went to: the backend counts 5/4 of the
    // estimate (which count_tokens answers for an uncalibrated model).
    const int estimate =
        post(app.address() + "/v1/messages/count_tokens", messagesBody()).value("input_tokens").toInt();
    QVERIFY(estimate > 0);
    FakeBackend::Reply reply;
    reply.text = {"Hello"};
    reply.promptTokens = int(std::lround(estimate * 1.25));
    backend.enqueue(reply);
    QSignalSpy learned(&app.service(), &ProxyService::learnedChanged);
    QCOMPARE(post(app.address() + "/v1/messages", messagesBody()).value("type").toString(),
             QString("message"));
    QTRY_COMPARE(model.rowCount(), 4);
    QVERIFY(learned.size() >= 1);
    // What the learned file now holds for it (one sample moves the ratio part of the way).
    const double ratio = TokenCalibration(m_learned).stats("fake-model")->ratio;
    QVERIFY(ratio > 1.0 && ratio < 1.25);
    QCOMPARE(cell(model, "fake-model", LearnedModelsModel::Ratio), QString("×%1").arg(ratio, 0, 'f', 2));
    QCOMPARE(cell(model, "fake-model", LearnedModelsModel::Samples), QString("1"));
    // Ollama's /api/show told the model's window (FakeBackend: 131072).
    QCOMPARE(cell(model, "fake-model", LearnedModelsModel::Context), QLocale().toString(131072));
    QCOMPARE(cell(model, "qwen2.5-coder:32b", LearnedModelsModel::Context), QString("—"));
    view->table()->selectRow(rowOf(model, "ns/llama3.1:8b"));
    saveScreenshot(&page, "model-map-learned.png");

    // Forget the selected model: its row goes, and so do its entries in the file.
    QVERIFY(view->forgetSelectedButton()->isEnabled());
    QSignalSpy forgotten(&app.service(), &ProxyService::learnedForgotten);
    view->forgetSelectedButton()->click();
    QTRY_COMPARE(forgotten.size(), 1);
    QCOMPARE(forgotten.first().first().toString(), QString("ns/llama3.1:8b"));
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(rowOf(model, "ns/llama3.1:8b"), -1);
    {
        TokenCalibration calibration(m_learned);
        LearnedLimits limits(m_learned);
        QVERIFY(!calibration.stats("ns/llama3.1:8b"));
        QCOMPARE(limits.maxOutputTokens("ns/llama3.1:8b"), 0);
        QVERIFY(calibration.stats("qwen2.5-coder:32b"));
        QVERIFY(calibration.stats("fake-model"));
        QCOMPARE(limits.maxOutputTokens("gpt-4o-mini"), 16384);
    }
    QVERIFY(!view->forgetSelectedButton()->isEnabled()); // the selection went with the row

    // Forget all: nothing left, in the view or in the file.
    QVERIFY(view->forgetAllButton()->isEnabled());
    view->forgetAllButton()->click();
    QTRY_COMPARE(model.rowCount(), 0);
    QVERIFY(!view->forgetAllButton()->isEnabled());
    TokenCalibration calibration(m_learned);
    LearnedLimits limits(m_learned);
    QVERIFY(calibration.models().isEmpty());
    QVERIFY(limits.maxOutputTokensByModel().isEmpty());
}

void TestLearnedUi::forgetBeforeStartKeepsTheFile() {
    // Forgetting one model before the proxy ever listened must neither touch the others nor leave
    // the proxy learning in memory only once it starts with the file.
    seed();
    ProxyService service;
    QSignalSpy forgotten(&service, &ProxyService::learnedForgotten);
    service.forgetLearned("nothing-like-this");
    QVERIFY(forgotten.wait(5000));
    LearnedLimitsView view(service);
    ProxyConfig config;
    config.port = 0;
    config.learnedFile = m_learned;
    QSignalSpy started(&service, &ProxyService::started);
    service.start(config);
    QVERIFY(started.wait(5000));
    QTRY_COMPARE(view.model()->rowCount(), 3);
    view.table()->selectRow(rowOf(*view.model(), "gpt-4o-mini"));
    view.forgetSelectedButton()->click();
    QTRY_COMPARE(view.model()->rowCount(), 2);
    QCOMPARE(LearnedLimits(m_learned).maxOutputTokens("gpt-4o-mini"), 0);
    QCOMPARE(LearnedLimits(m_learned).maxOutputTokens("ns/llama3.1:8b"), 4096);
}

void TestLearnedUi::modelKeepsSelectionWhenValuesChange() {
    LearnedModelsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTableView table;
    table.setModel(&model);
    table.setSelectionBehavior(QAbstractItemView::SelectRows);
    model.setModels({LearnedModel{"a", 2, 1.1, 0.1, 0}, LearnedModel{"b", 0, 1.0, 0, 8192}});
    table.selectRow(1);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.setModels({LearnedModel{"a", 3, 1.2, 0.1, 0}, LearnedModel{"b", 0, 1.0, 0, 8192}});
    QCOMPARE(resets.size(), 0);
    QCOMPARE(changes.size(), 1);
    QVERIFY(table.selectionModel()->isRowSelected(1, {}));
    QCOMPARE(model.index(0, LearnedModelsModel::Ratio).data().toString(), QString("×1.20"));
    QCOMPARE(model.index(1, LearnedModelsModel::Samples).data().toString(), QString("—"));
    model.setModels({LearnedModel{"b", 0, 1.0, 0, 8192}});
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.rowCount(), 1);
}

// The copied Claude Code line compacts within the model's real window once Ollama said what it is.
void TestLearnedUi::setupLineFollowsWhatOllamaReported() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    backend.setOllamaContextLength(16384);
    AppController &app = makeApp(backend.baseUrl());
    QCOMPARE(app.config().backend.ollamaContextSize, 32768);
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Running);
    QVERIFY2(app.claudeCodeSetupLine().contains("CLAUDE_CODE_AUTO_COMPACT_WINDOW=32768"),
             qPrintable(app.claudeCodeSetupLine())); // nothing known yet: the cap

    QSignalSpy learned(&app.service(), &ProxyService::learnedChanged);
    QCOMPARE(post(app.address() + "/v1/messages", messagesBody()).value("type").toString(),
             QString("message"));
    QTRY_VERIFY(!learned.isEmpty());
    QTRY_VERIFY2(app.claudeCodeSetupLine().contains("CLAUDE_CODE_AUTO_COMPACT_WINDOW=16384"),
                 qPrintable(app.claudeCodeSetupLine()));
}

QTEST_MAIN(TestLearnedUi)
#include "tst_learned_ui.moc"
