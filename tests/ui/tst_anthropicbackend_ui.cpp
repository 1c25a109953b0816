// The tray application with an Anthropic-native backend profile: the profile editor offers the
// kind (with Ollama's native root as its default URL), and the tray's Backend menu switches
// requests to it.
#include "AppController.h"
#include "FakeBackend.h"
#include "TrayController.h"
#include "config/SettingsStore.h"
#include "pages/BackendsPage.h"

#include <QAction>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

class TestAnthropicBackendUi : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void profileEditorOffersTheKind();
    void trayMenuSwitchesToIt();

private:
    AppController &makeApp();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppController> m_app;
};

void TestAnthropicBackendUi::init() {
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestAnthropicBackendUi::cleanup() {
    m_app.reset();
    m_dir.reset();
}

AppController &TestAnthropicBackendUi::makeApp() {
    auto settings = std::make_unique<SettingsStore>(m_dir->filePath("settings.ini"));
    ProxyConfig config = settings->load();
    config.port = 0;
    config.modelMap.defaultModel = "fake-model";
    m_app = std::make_unique<AppController>(std::move(settings), config);
    return *m_app;
}

void TestAnthropicBackendUi::profileEditorOffersTheKind() {
    AppController &app = makeApp();
    BackendsPage page(app);
    page.list()->setCurrentRow(1); // "OpenAI-compatible (local)", on its default URL
    QComboBox *kind = nullptr;
    for (QComboBox *combo : page.findChildren<QComboBox *>()) {
        if (combo->findData(int(BackendKind::Anthropic)) >= 0 && combo->findText("Ollama") >= 0)
            kind = combo;
    }
    QVERIFY2(kind, "no combo box offers the Anthropic-compatible kind");
    const int index = kind->findData(int(BackendKind::Anthropic));
    QCOMPARE(kind->itemText(index), QString("Anthropic-compatible (native /v1/messages)"));

    kind->setCurrentIndex(index);
    const BackendProfile edited = app.profiles().at(1);
    QCOMPARE(edited.kind, BackendKind::Anthropic);
    QCOMPARE(edited.baseUrl.toString(), QString("http://127.0.0.1:11434")); // another kind's default gave way
    QCOMPARE(SettingsStore(m_dir->filePath("settings.ini")).profiles().at(1).kind, BackendKind::Anthropic);
}

void TestAnthropicBackendUi::trayMenuSwitchesToIt() {
    FakeBackend native(FakeBackend::Kind::Anthropic);
    QVERIFY(native.listen());
    AppController &app = makeApp();
    BackendProfile profile;
    profile.name = "llama.cpp (Anthropic API)";
    profile.kind = BackendKind::Anthropic;
    profile.baseUrl = QUrl(native.baseUrl());
    const int added = app.addProfile(profile);
    TrayController tray(app);
    QCOMPARE(tray.backendActions().size(), 3);
    app.start();
    QTRY_COMPARE(app.state(), AppController::State::Running);

    tray.backendActions().at(added)->trigger();
    QVERIFY(tray.backendActions().at(added)->isChecked());
    QCOMPARE(app.config().backend.kind, BackendKind::Anthropic);

    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(app.address() + "/v1/messages"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    const QByteArray body =
        QJsonDocument(
            QJsonObject{{"model", "claude-sonnet-4-5"},
                        {"max_tokens", 64},
                        {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "hello"}}}}})
            .toJson(QJsonDocument::Compact);
    std::unique_ptr<QNetworkReply> reply(network.post(request, body));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject message = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(message.value("model").toString(), QString("claude-sonnet-4-5"));
    QCOMPARE(native.requests().size(), 1);
    QCOMPARE(native.requests().at(0).path, QByteArray("/v1/messages"));
}

QTEST_MAIN(TestAnthropicBackendUi)
#include "tst_anthropicbackend_ui.moc"
