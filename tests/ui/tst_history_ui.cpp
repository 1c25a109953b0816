// The History page offscreen, fed by the real proxy against a fake Ollama: the requests are
// there after a restart, the filters narrow them, a stored row opens in the same inspector with
// its exchange, the export writes the filtered range, and the table holds a bounded number of
// rows however many are written. Screenshots at 800×600, 2× and dark.
#include "FakeBackend.h"
#include "HistoryTesting.h"
#include "PageScreenshots.h"
#include "ProxyUnderTest.h"
#include "history/HistoryStore.h"
#include "models/HistoryModel.h"
#include "models/RequestLogModel.h"
#include "pages/HistoryPage.h"
#include "pages/RequestInspector.h"
#include "server/ProxyService.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

QByteArray messagesBody(const QString &model, const QString &text) {
    return QJsonDocument(
               QJsonObject{{"model", model},
                           {"max_tokens", 64},
                           {"stream", false},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", text}}}}})
        .toJson(QJsonDocument::Compact);
}

RequestRecord syntheticRecord(quint64 id, const QDateTime &at) {
    RequestRecord r;
    r.id = id;
    r.startedAt = at;
    r.endpoint = "messages";
    r.clientModel = id % 3 == 0 ? "claude-haiku-4-5" : "claude-sonnet-4-5";
    r.backendModel = id % 3 == 0 ? "qwen2.5:7b" : "qwen2.5-coder:32b";
    r.backendName = id % 5 == 0 ? "OpenRouter" : "Ollama (local)";
    r.status = id % 7 == 0 ? 502 : 200;
    if (r.status == 502)
        r.error = "The backend refused the connection (http://127.0.0.1:11434/api/chat).";
    r.stream = true;
    r.estimatedInputTokens = 18000 + int(id);
    r.inputTokens = 18500 + int(id);
    r.outputTokens = 300;
    r.timeToFirstTokenMs = 400;
    r.durationMs = 3200;
    r.stopReason = "end_turn";
    return r;
}

} // namespace

class TestHistoryUi : public QObject {
    Q_OBJECT
private slots:
    void init();
    void proxiedRequestsOutliveARestart();
    void filtersNarrowTheTable();
    void exportWritesTheFilteredRange();
    void tableHoldsABoundedNumberOfRows();
    void retentionIsAppliedAndReported();
    void screenshots();

private:
    QString path() const { return m_dir->filePath("history.sqlite"); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestHistoryUi::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestHistoryUi::proxiedRequestsOutliveARestart() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    {
        ProxyUnderTest proxy;
        QVERIFY(proxy.start(backend));
        HistoryStore store(path(), {});
        waitReady(store);
        QObject::connect(&proxy.service(), &ProxyService::requestFinished, &store, &HistoryStore::add);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(
                proxy.post(messagesBody("claude-sonnet-4-5", QString("hello number %1").arg(i)))->status(),
                200);
        QVERIFY(proxy.waitForRecords(3));
    } // the window closes, the application quits
    HistoryStore store(path(), {});
    waitReady(store);
    HistoryPage page(&store);
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE(page.model()->rowCount(), 3);
    page.table()->selectRow(0);
    QVERIFY2(page.details()->toPlainText().contains("claude-sonnet-4-5"),
             qPrintable(page.details()->toPlainText()));
    QVERIFY2(
        page.inspector()->pane(RequestInspector::ClientRequest)->toPlainText().contains("hello number 2"),
        qPrintable(page.inspector()->pane(RequestInspector::ClientRequest)->toPlainText()));
    QVERIFY(page.inspector()->pane(RequestInspector::BackendRequest)->toPlainText().contains("fake-model"));
    QVERIFY2(page.status()->text().startsWith("3 requests"), qPrintable(page.status()->text()));
}

void TestHistoryUi::filtersNarrowTheTable() {
    HistoryStore store(path(), {});
    waitReady(store);
    const QDateTime now = QDateTime::currentDateTime();
    for (quint64 i = 1; i <= 70; ++i)
        store.add(syntheticRecord(i, now.addSecs(-qint64(70 - i) * 60)));
    store.flush();
    HistoryPage page(&store);
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE(page.model()->rowCount(), 70);
    page.refreshChoices();
    QVERIFY(page.modelFilter()->findText("qwen2.5:7b") > 0);
    QVERIFY(page.backendFilter()->findText("OpenRouter") > 0);

    page.search()->setText("refused");
    QTRY_COMPARE(page.model()->rowCount(), 10); // every 7th failed
    page.search()->clear();
    page.outcomeFilter()->setCurrentIndex(2); // failed
    QCOMPARE(page.model()->rowCount(), 10);
    page.outcomeFilter()->setCurrentIndex(0);
    page.backendFilter()->setCurrentIndex(page.backendFilter()->findText("OpenRouter"));
    QCOMPARE(page.model()->rowCount(), 14);
    page.modelFilter()->setCurrentIndex(page.modelFilter()->findText("qwen2.5:7b"));
    QCOMPARE(page.model()->rowCount(), 4); // multiples of 15 up to 70
    page.backendFilter()->setCurrentIndex(0);
    page.modelFilter()->setCurrentIndex(0);
    page.period()->setCurrentIndex(HistoryPage::CustomRange);
    page.from()->setDateTime(now.addSecs(-10 * 60 - 30));
    page.to()->setDateTime(now.addSecs(-5 * 60 + 30));
    QCOMPARE(page.model()->rowCount(), 6);
    QVERIFY2(page.status()->text().startsWith("6 requests"), qPrintable(page.status()->text()));
}

void TestHistoryUi::exportWritesTheFilteredRange() {
    HistoryStore store(path(), {});
    waitReady(store);
    const QDateTime now = QDateTime::currentDateTime();
    for (quint64 i = 1; i <= 20; ++i)
        store.add(syntheticRecord(i, now.addSecs(-qint64(20 - i) * 3600)));
    store.flush();
    HistoryPage page(&store);
    page.period()->setCurrentIndex(HistoryPage::CustomRange);
    page.from()->setDateTime(now.addSecs(-5 * 3600 - 60));
    page.to()->setDateTime(now.addSecs(60));
    QString error;
    const QString file = m_dir->filePath("export.jsonl");
    QVERIFY2(page.exportTo(file, &error), qPrintable(error));
    QFile exported(file);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = exported.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    QCOMPARE(
        QJsonDocument::fromJson(lines.first()).object().value("request").toObject().value("id").toString(),
        QString("15"));
    QCOMPARE(
        QJsonDocument::fromJson(lines.last()).object().value("request").toObject().value("id").toString(),
        QString("20"));
}

void TestHistoryUi::tableHoldsABoundedNumberOfRows() {
    HistoryStore store(path(), {});
    waitReady(store);
    HistoryPage page(&store);
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime now = QDateTime::currentDateTime();
    for (quint64 i = 1; i <= quint64(HistoryModel::kMaxRows) + 500; ++i) {
        store.add(syntheticRecord(i, now));
        if (i % 500 == 0) {
            store.flush();
            QCoreApplication::processEvents();
        }
    }
    store.flush();
    QTRY_VERIFY(page.model()->rowCount() > 0);
    QTRY_COMPARE(page.model()->row(0).record.id, quint64(HistoryModel::kMaxRows) + 500);
    QVERIFY2(page.model()->rowCount() <= HistoryModel::kMaxRows,
             qPrintable(QString::number(page.model()->rowCount())));
    // Scrolling down reads the older ones again.
    while (page.model()->canFetchMore({}))
        page.model()->fetchMore({});
    QCOMPARE(page.model()->rowCount(), HistoryModel::kMaxRows + 500);
}

void TestHistoryUi::retentionIsAppliedAndReported() {
    HistoryStore store(path(), HistoryRetention{30, 200});
    waitReady(store);
    const QDateTime now = QDateTime::currentDateTime();
    store.add(syntheticRecord(1, now.addDays(-10)));
    store.add(syntheticRecord(2, now.addDays(-1)));
    store.flush();
    HistoryPage page(&store);
    QCOMPARE(page.keepDays()->value(), 30);
    QSignalSpy changed(&page, &HistoryPage::retentionChanged);
    page.keepDays()->setValue(7);
    emit page.keepDays()->editingFinished();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<HistoryRetention>(), (HistoryRetention{7, 200}));
    store.flush(); // the new retention was applied on the writer's thread before this returns
    QTRY_COMPARE(page.model()->rowCount(), 1);
    QCOMPARE(page.model()->row(0).record.id, quint64(2));
}

void TestHistoryUi::screenshots() {
    HistoryStore store(path(), {});
    waitReady(store);
    const QDateTime now = QDateTime::currentDateTime();
    for (quint64 i = 1; i <= 40; ++i) {
        RequestRecord r = syntheticRecord(i, now.addSecs(-qint64(40 - i) * 1800));
        r.clientRequest = messagesBody(r.clientModel, "Explain the build failure in CMakeLists.txt");
        r.backendRequest = R"({"model":"qwen2.5-coder:32b","stream":true,"options":{"num_ctx":32768}})";
        r.response =
            R"({"type":"message","role":"assistant","content":[{"type":"text","text":"The target links twice."}]})";
        store.add(r);
    }
    store.flush();
    HistoryPage page(&store);
    QTRY_COMPARE(page.model()->rowCount(), 40);
    page.table()->selectRow(5); // id 35: refused
    QVERIFY(page.details()->toPlainText().contains("Error: The backend refused the connection"));
    test::shootAtUserSizes(&page, "history-page");
}

QTEST_MAIN(TestHistoryUi)
#include "tst_history_ui.moc"
