// The Routing page: each edit becomes the running proxy's routing and is saved; routing read from
// settings is shown as it is (a profile name nothing has is marked, extra targets are kept); an
// image request really goes to the profile the page names; the request log says which backend
// answered, by which route, and what was tried before.
#include "AppController.h"
#include "FakeBackend.h"
#include "MainWindow.h"
#include "config/SettingsStore.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"
#include "pages/BackendsPage.h"
#include "pages/RoutingPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

class TestRoutingUi : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void editsApplyAndAreSaved();
    void fallbackListOrder();
    void savedRoutingIsShownAsItIs();
    void imageRequestGoesWhereThePageSays();
    void requestLogShowsRouteAndFallback();
    void toolSchemaPolicyIsEditedPerProfile();

private:
    AppController &makeApp(const Routing &routing = {});
    QString settingsPath() const { return m_dir->filePath("settings.ini"); }
    static void setModel(QComboBox *combo, const QString &text);
    static QPushButton *button(QWidget *page, const QString &text);
    static void screenshot(QWidget *widget, const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppController> m_app;
};

void TestRoutingUi::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestRoutingUi::cleanup() {
    m_app.reset();
    m_dir.reset();
}

AppController &TestRoutingUi::makeApp(const Routing &routing) {
    {
        SettingsStore seed(settingsPath());
        QList<BackendProfile> profiles = seed.profiles();
        BackendProfile vision;
        vision.name = "Vision box";
        vision.kind = BackendKind::OpenAI;
        vision.baseUrl = QUrl("http://127.0.0.1:9/v1");
        profiles.append(vision);
        seed.saveProfiles(profiles);
        ProxyConfig saved = seed.load();
        saved.routing = routing;
        seed.save(saved);
    }
    auto settings = std::make_unique<SettingsStore>(settingsPath());
    ProxyConfig config = settings->load();
    config.port = 0;
    config.modelMap.defaultModel = "fake-model";
    m_app = std::make_unique<AppController>(std::move(settings), config);
    return *m_app;
}

void TestRoutingUi::setModel(QComboBox *combo, const QString &text) {
    combo->setEditText(text);
    emit combo->lineEdit()->editingFinished();
}

QPushButton *TestRoutingUi::button(QWidget *page, const QString &text) {
    for (QPushButton *b : page->findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

void TestRoutingUi::screenshot(QWidget *widget, const QString &name) {
    QDir().mkpath(MODELRELAY_TEST_OUTPUT_DIR);
    QVERIFY(widget->grab().save(QDir(MODELRELAY_TEST_OUTPUT_DIR).filePath(name)));
}

void TestRoutingUi::editsApplyAndAreSaved() {
    AppController &app = makeApp();
    RoutingPage page(app);
    page.resize(980, 640);
    const RoutingPage::ClassRow &images = page.row(RequestClass::Images);
    QVERIFY(!images.enabled->isChecked());
    QVERIFY(!images.profile->isEnabled()); // nothing to edit until the rule is on
    QVERIFY(app.config().routing.rules.isEmpty());

    images.enabled->setChecked(true);
    QVERIFY(images.profile->isEnabled());
    QCOMPARE(app.config().routing.rules.size(), 1);
    // A rule starts on the backend in use, with the model from the model map.
    QCOMPARE(app.config().routing.rules.at(0).targets, (QList<RouteTarget>{{"Ollama (local)", ""}}));

    images.profile->setCurrentIndex(images.profile->findData("Vision box"));
    setModel(images.model, "qwen2.5-vl:7b");
    images.fallbackProfile->setCurrentIndex(images.fallbackProfile->findData("OpenAI-compatible (local)"));
    setModel(images.fallbackModel, "llava");
    const RoutingPage::ClassRow &background = page.row(RequestClass::Background);
    background.enabled->setChecked(true);
    setModel(background.model, "qwen2.5:0.5b");
    page.longContextTokens()->setValue(90000);
    emit page.longContextTokens()->editingFinished();

    Routing expected;
    expected.longContextTokens = 90000;
    expected.rules = {RouteRule{RequestClass::Images,
                                {RouteTarget{"Vision box", "qwen2.5-vl:7b"},
                                 RouteTarget{"OpenAI-compatible (local)", "llava"}}},
                      RouteRule{RequestClass::Background, {RouteTarget{"Ollama (local)", "qwen2.5:0.5b"}}}};
    QCOMPARE(app.config().routing, expected);
    QCOMPARE(app.service().config().routing, expected); // the running proxy has it too
    QCOMPARE(SettingsStore(settingsPath()).load().routing, expected);
    QVERIFY2(page.summary()->text().contains("Images → Vision box, model qwen2.5-vl:7b, then "
                                             "OpenAI-compatible (local), model llava"),
             qPrintable(page.summary()->text()));
    page.show();
    screenshot(&page, "routing-page.png");

    images.enabled->setChecked(false);
    QCOMPARE(app.config().routing.rules.size(), 1);
    QCOMPARE(app.config().routing.rules.at(0).when, RequestClass::Background);
}

void TestRoutingUi::fallbackListOrder() {
    AppController &app = makeApp();
    RoutingPage page(app);
    QPushButton *add = button(&page, "Add backend");
    QVERIFY(add);
    add->click();
    // A new stand-in is another backend than the one in use.
    QCOMPARE(app.config().routing.fallbacks, (QList<RouteTarget>{{"OpenAI-compatible (local)", ""}}));
    add->click();
    auto *second = static_cast<QComboBox *>(page.fallbacks()->cellWidget(1, 0));
    second->setCurrentIndex(second->findData("Vision box"));
    setModel(static_cast<QComboBox *>(page.fallbacks()->cellWidget(1, 1)), "big-model");
    QCOMPARE(app.config().routing.fallbacks,
             (QList<RouteTarget>{{"OpenAI-compatible (local)", ""}, {"Vision box", "big-model"}}));

    page.fallbacks()->setCurrentCell(1, 0);
    button(&page, "Move up")->click();
    QCOMPARE(app.config().routing.fallbacks,
             (QList<RouteTarget>{{"Vision box", "big-model"}, {"OpenAI-compatible (local)", ""}}));
    QCOMPARE(page.fallbacks()->currentRow(), 0);
    button(&page, "Move up")->click(); // already first: nothing moves
    QCOMPARE(app.config().routing.fallbacks.at(0).profile, QString("Vision box"));

    page.fallbacks()->setCurrentCell(0, 0);
    button(&page, "Remove")->click();
    QCOMPARE(app.config().routing.fallbacks, (QList<RouteTarget>{{"OpenAI-compatible (local)", ""}}));
    QCOMPARE(SettingsStore(settingsPath()).load().routing.fallbacks, app.config().routing.fallbacks);
}

void TestRoutingUi::savedRoutingIsShownAsItIs() {
    Routing saved;
    saved.longContextTokens = 120000;
    saved.rules = {RouteRule{RequestClass::Thinking,
                             {RouteTarget{"Gone box", "r1"}, RouteTarget{"Vision box", ""},
                              RouteTarget{"Ollama (local)", "qwq"}}}};
    saved.fallbacks = {RouteTarget{"Vision box", "m"}};
    AppController &app = makeApp(saved);
    RoutingPage page(app);
    QCOMPARE(page.routing(), saved); // nothing lost on the way in, not even the third target
    const RoutingPage::ClassRow &thinking = page.row(RequestClass::Thinking);
    QVERIFY(thinking.enabled->isChecked());
    QCOMPARE(thinking.profile->currentText(), QString("Gone box (no such profile)"));
    QCOMPARE(thinking.model->currentText(), QString("r1"));
    QCOMPARE(thinking.fallbackProfile->currentText(), QString("Vision box"));
    QCOMPARE(page.longContextTokens()->value(), 120000);
    QCOMPARE(page.fallbacks()->rowCount(), 1);

    // An edit elsewhere on the page keeps the rest as it was.
    setModel(thinking.model, "deepseek-r1:14b");
    Routing expected = saved;
    expected.rules[0].targets[0].model = "deepseek-r1:14b";
    QCOMPARE(app.config().routing, expected);
}

void TestRoutingUi::imageRequestGoesWhereThePageSays() {
    FakeBackend local(FakeBackend::Kind::Ollama);
    FakeBackend vision(FakeBackend::Kind::OpenAI);
    QVERIFY(local.listen());
    QVERIFY(vision.listen());
    AppController &app = makeApp();
    BackendProfile localProfile = app.profiles().at(0);
    localProfile.baseUrl = QUrl(local.baseUrl());
    app.updateProfile(0, localProfile);
    BackendProfile visionProfile = app.profiles().at(2);
    visionProfile.baseUrl = QUrl(vision.baseUrl());
    app.updateProfile(2, visionProfile);

    RoutingPage page(app);
    const RoutingPage::ClassRow &images = page.row(RequestClass::Images);
    images.enabled->setChecked(true);
    images.profile->setCurrentIndex(images.profile->findData("Vision box"));
    setModel(images.model, "qwen2.5-vl:7b");

    QSignalSpy finished(&app, &AppController::requestFinished);
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Running);
    QNetworkAccessManager network;
    auto send = [&](const QJsonValue &content) {
        QNetworkRequest request(QUrl(app.address() + "/v1/messages"));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        const QJsonObject body{{"model", "claude-sonnet-4-5"},
                               {"max_tokens", 64},
                               {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", content}}}}};
        std::unique_ptr<QNetworkReply> reply(
            network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10000))
            return -1;
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    };
    const QJsonArray withImage{
        QJsonObject{{"type", "image"},
                    {"source",
                     QJsonObject{{"type", "base64"}, {"media_type", "image/png"}, {"data", "iVBORw0KGgo="}}}},
        QJsonObject{{"type", "text"}, {"text", "what is this?"}}};
    QCOMPARE(send(withImage), 200);
    QCOMPARE(vision.requests().size(), 1);
    QCOMPARE(vision.requests().at(0).json().value("model").toString(), QString("qwen2.5-vl:7b"));
    QCOMPARE(local.requests().size(), 0);

    QCOMPARE(send(QString("plain text")), 200);
    QCOMPARE(local.requests().size(), 1);
    QCOMPARE(local.requests().at(0).json().value("model").toString(), QString("fake-model"));
    QCOMPARE(vision.requests().size(), 1);

    QTRY_COMPARE(finished.size(), 2);
    const auto first = finished.at(0).at(0).value<RequestRecord>();
    QCOMPARE(first.route, QString("images"));
    QCOMPARE(first.backendName, QString("Vision box"));
    QCOMPARE(finished.at(1).at(0).value<RequestRecord>().route, QString());
}

void TestRoutingUi::requestLogShowsRouteAndFallback() {
    AppController &app = makeApp();
    RequestLogModel log;
    ModelTotalsModel totals;
    MainWindow window(app, &log, &totals);
    window.resize(1180, 720);

    RequestRecord routed;
    routed.id = 1;
    routed.startedAt = QDateTime::currentDateTime();
    routed.endpoint = "messages";
    routed.clientModel = "claude-sonnet-4-5";
    routed.backendModel = "qwen-vl-max";
    routed.backendName = "Cloud";
    routed.route = "images";
    routed.stream = true;
    routed.status = 200;
    routed.attempts = {BackendAttempt{"Vision box", "qwen2.5-vl:7b", "cannot connect: Connection refused", 0},
                       BackendAttempt{"Cloud", "qwen-vl-max", "", 3}};
    RequestRecord plain = routed;
    plain.id = 2;
    plain.route.clear();
    plain.backendName = "Ollama (local)";
    plain.attempts = {BackendAttempt{"Ollama (local)", "qwen2.5-coder:32b", "", 0}};
    log.add(routed);
    log.add(plain);
    log.flush();

    const QModelIndex cell = log.index(0, RequestLogModel::Backend);
    QCOMPARE(cell.data().toString(), QString("Cloud (Images, fell back from Vision box)"));
    QCOMPARE(cell.data(Qt::ToolTipRole).toString(),
             QString("+0 ms  Vision box (qwen2.5-vl:7b): cannot connect: Connection refused\n"
                     "+3 ms  Cloud (qwen-vl-max)"));
    QCOMPARE(log.index(1, RequestLogModel::Backend).data().toString(), QString("Ollama (local)"));
    QCOMPARE(log.headerData(RequestLogModel::Backend, Qt::Horizontal).toString(), QString("Backend"));

    // The window has the page as a tab.
    QTabWidget *tabs = window.tabs();
    int routingTab = -1;
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i) == "Routing")
            routingTab = i;
    QVERIFY(routingTab >= 0);
    window.show();
    screenshot(&window, "requests-with-routes.png");
    tabs->setCurrentIndex(routingTab);
    screenshot(&window, "window-routing-tab.png");
}

// Not routing, but the other per-profile choice of this issue: how tool schemas are cleaned.
void TestRoutingUi::toolSchemaPolicyIsEditedPerProfile() {
    AppController &app = makeApp();
    BackendsPage page(app);
    page.list()->setCurrentRow(2);
    QCOMPARE(page.toolSchemas()->currentData().toInt(), int(ToolSchemaPolicy::Portable)); // the default
    page.toolSchemas()->setCurrentIndex(page.toolSchemas()->findData(int(ToolSchemaPolicy::Strict)));
    QCOMPARE(app.profiles().at(2).toolSchemas, ToolSchemaPolicy::Strict);
    QCOMPARE(app.profiles().at(0).toolSchemas, ToolSchemaPolicy::Portable);
    QCOMPARE(SettingsStore(settingsPath()).profiles().at(2).toolSchemas, ToolSchemaPolicy::Strict);
    page.list()->setCurrentRow(0);
    QCOMPARE(page.toolSchemas()->currentData().toInt(), int(ToolSchemaPolicy::Portable));
    page.list()->setCurrentRow(2);
    QCOMPARE(page.toolSchemas()->currentData().toInt(), int(ToolSchemaPolicy::Strict));
}

QTEST_MAIN(TestRoutingUi)
#include "tst_routing_ui.moc"
