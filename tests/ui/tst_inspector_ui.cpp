// The request inspector on the Requests page, offscreen: the four panes side by side (client
// request, sent to backend, backend chunks with times, events to the client), keys planted in
// every part absent from every pane and from the exported file. Screenshots go to the test
// output folder.
#include "FakeBackend.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"
#include "pages/RequestInspector.h"
#include "pages/RequestsPage.h"
#include "server/ProxyService.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

// Planted keys: none of these may show anywhere. The tails are what is left of a key if only its
// start were caught.
const QByteArray kAnthropicKey = "sk-ant-api03-Zq9fK2mPx7Lw4RtY8vBn";
const QByteArray kBearerKey = "sk-proj-Hv3Tq8Wc1Ne6Yb4Lm0Rx";
const QList<QByteArray> kSecretTails = {"Zq9fK2mPx7Lw4RtY8vBn", "Lw4RtY8vBn", "Hv3Tq8Wc1Ne6Yb4Lm0Rx",
                                        "Yb4Lm0Rx"};

QByteArray sse(const QByteArray &event, const QByteArray &data) {
    return "event: " + event + "\ndata: " + data + "\n\n";
}

RequestRecord streamedRecord() {
    RequestRecord r;
    r.id = 7;
    r.startedAt = QDateTime(QDate(2026, 12, 3), QTime(10, 0), QTimeZone::utc());
    r.endpoint = "messages";
    r.clientModel = "claude-sonnet-4-5";
    r.backendName = "Local Ollama";
    r.backendModel = "qwen2.5-coder:32b";
    r.route = "long context";
    r.stream = true;
    r.status = 200;
    r.estimatedInputTokens = 120;
    r.inputTokens = 118;
    r.outputTokens = 2;
    r.timeToFirstTokenMs = 31;
    r.durationMs = 64;
    r.stopReason = "end_turn";
    r.attempts = {BackendAttempt{"Remote", "gpt-4o", "HTTP 503: overloaded", 1},
                  BackendAttempt{"Local Ollama", "qwen2.5-coder:32b", "", 12}};
    r.clientRequest = R"({"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"api_key":")" +
                      kAnthropicKey + R"(","messages":[{"role":"user","content":"my key is )" +
                      kAnthropicKey + R"("}]})";
    r.backendRequest = R"({"model":"qwen2.5-coder:32b","stream":true,"options":{"num_ctx":8192},)"
                       R"("note":"Authorization: Bearer )" +
                       kBearerKey + R"("})";
    // The key in the backend's answer is split between two reads.
    r.backendChunks = {
        TimedBytes{25, "{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"
                       "{\"message\":{\"content\":\"" +
                           kAnthropicKey.left(16)},
        TimedBytes{60, kAnthropicKey.mid(16) +
                           " there\"},\"done\":false}\n"
                           "{\"done\":true,\"prompt_eval_count\":118,\"eval_count\":2}\n"}};
    const QByteArray start = sse("message_start", R"({"type":"message_start","message":{"id":"msg_1"}})");
    const QByteArray blockStart = sse(
        "content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text"}})");
    const QByteArray delta =
        sse("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"text":"Hi"}})");
    const QByteArray secretDelta =
        sse("content_block_delta",
            R"({"type":"content_block_delta","index":0,"delta":{"text":")" + kBearerKey + "\"}}");
    const QByteArray rest =
        sse("content_block_stop", R"({"type":"content_block_stop","index":0})") +
        sse("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"}})") +
        sse("message_stop", R"({"type":"message_stop"})");
    // The second write ends in the middle of an event: it belongs to the write that completes it.
    const QByteArray second = blockStart + delta + secretDelta.left(20);
    r.clientWrites = {TimedBytes{14, start}, TimedBytes{31, second},
                      TimedBytes{61, secretDelta.mid(20) + rest}};
    r.response = start + blockStart + delta + secretDelta + rest;
    return r;
}

RequestRecord jsonRecord() {
    RequestRecord r = streamedRecord();
    r.id = 8;
    r.stream = false;
    r.attempts = {BackendAttempt{"Local Ollama", "qwen2.5-coder:32b", "", 3}};
    r.route.clear();
    r.clientRequest = R"({"model":"claude-sonnet-4-5","max_tokens":64,"stream":false})";
    r.backendRequest = R"({"model":"qwen2.5-coder:32b","stream":false})";
    r.backendChunks = {
        TimedBytes{40, R"({"message":{"content":"Hello"},"done":true,"prompt_eval_count":118})"}};
    const QByteArray answer = R"({"id":"msg_2","type":"message","role":"assistant",)"
                              R"("content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn"})";
    r.clientWrites = {TimedBytes{41, answer}};
    r.response = answer;
    return r;
}

void saveScreenshot(QWidget *widget, const QString &name) {
    QDir().mkpath(MODELRELAY_TEST_OUTPUT_DIR);
    const QString path = QDir(MODELRELAY_TEST_OUTPUT_DIR).filePath(name);
    QVERIFY(widget->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

QString allShownText(RequestsPage &page) {
    RequestInspector *inspector = page.inspector();
    QString all = page.details()->toPlainText() + inspector->summary()->text();
    for (int pane = 0; pane < RequestInspector::PaneCount; ++pane)
        all += inspector->paneTitle(RequestInspector::Pane(pane))->text() +
               inspector->pane(RequestInspector::Pane(pane))->toPlainText();
    return all;
}

void verifyNoSecret(const QByteArray &text) {
    for (const QByteArray &tail : kSecretTails)
        QVERIFY2(!text.contains(tail), qPrintable("leaked " + tail + " in:\n" + text));
}

} // namespace

class TestInspectorUi : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void streamedExchangeSideBySide();
    void jsonAnswerShownAsBody();
    void exportWritesTheFourParts();
    void nothingSelectedNothingToExport();
    void omittedBytesAreSaid();
    void realProxyExchange();

private:
    RequestsPage &showPage(const QList<RequestRecord> &records);

    std::unique_ptr<RequestLogModel> m_log;
    std::unique_ptr<ModelTotalsModel> m_totals;
    std::unique_ptr<RequestsPage> m_page;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestInspectorUi::init() {
    m_log = std::make_unique<RequestLogModel>();
    m_totals = std::make_unique<ModelTotalsModel>();
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestInspectorUi::cleanup() {
    m_page.reset();
    m_totals.reset();
    m_log.reset();
    m_dir.reset();
}

RequestsPage &TestInspectorUi::showPage(const QList<RequestRecord> &records) {
    m_page = std::make_unique<RequestsPage>(m_log.get(), m_totals.get());
    for (const RequestRecord &r : records) {
        m_log->add(r);
        m_totals->add(r);
    }
    m_log->flush();
    m_page->resize(1400, 800);
    m_page->show();
    m_page->bodies()->setCurrentWidget(m_page->inspector());
    return *m_page;
}

void TestInspectorUi::streamedExchangeSideBySide() {
    RequestsPage &page = showPage({streamedRecord()});
    page.table()->selectRow(0);
    RequestInspector *inspector = page.inspector();

    // Four panes, side by side.
    QCOMPARE(inspector->splitter()->orientation(), Qt::Horizontal);
    QCOMPARE(inspector->splitter()->count(), int(RequestInspector::PaneCount));
    for (int i = 1; i < RequestInspector::PaneCount; ++i)
        QVERIFY(inspector->pane(RequestInspector::Pane(i))->mapTo(inspector, QPoint()).x() >
                inspector->pane(RequestInspector::Pane(i - 1))->mapTo(inspector, QPoint()).x());

    // JSON bodies are indented.
    const QString client = inspector->pane(RequestInspector::ClientRequest)->toPlainText();
    QVERIFY2(client.contains("\"max_tokens\": 64"), qPrintable(client));
    const QString backend = inspector->pane(RequestInspector::BackendRequest)->toPlainText();
    QVERIFY2(backend.contains("\"num_ctx\": 8192"), qPrintable(backend));
    QVERIFY(inspector->paneTitle(RequestInspector::BackendRequest)
                ->text()
                .contains("qwen2.5-coder:32b on Local Ollama"));

    // Each chunk with its time, as read.
    const QString chunks = inspector->pane(RequestInspector::BackendChunks)->toPlainText();
    QVERIFY2(chunks.contains("── +25 ms · "), qPrintable(chunks));
    QVERIFY2(chunks.contains("── +60 ms · "), qPrintable(chunks));
    QCOMPARE(chunks.count("── +"), 2);
    QVERIFY(chunks.contains("{\"done\":true,\"prompt_eval_count\":118,\"eval_count\":2}"));
    QCOMPARE(inspector->paneTitle(RequestInspector::BackendChunks)->text(), QString("Backend chunks · 2"));

    // Each event with the time of the write that completed it; its data indented.
    const QString events = inspector->pane(RequestInspector::ClientEvents)->toPlainText();
    QCOMPARE(events.count("── +"), 7);
    QVERIFY2(events.contains("── +14 ms · message_start ──"), qPrintable(events));
    QVERIFY(events.contains("── +31 ms · content_block_start ──"));
    QVERIFY(events.contains("── +31 ms · content_block_delta ──"));
    QVERIFY(events.contains("── +61 ms · content_block_delta ──")); // split across two writes
    QVERIFY(events.contains("── +61 ms · message_stop ──"));
    QVERIFY(events.contains("\"text\": \"Hi\""));
    QVERIFY(events.indexOf("message_start") < events.indexOf("message_stop"));
    QCOMPARE(inspector->paneTitle(RequestInspector::ClientEvents)->text(), QString("Events to client · 7"));

    // Timings, route and the attempts, above the panes.
    const QString summary = inspector->summary()->text();
    QVERIFY2(summary.contains("first backend byte +25 ms"), qPrintable(summary));
    QVERIFY(summary.contains("first write to client +14 ms"));
    QVERIFY(summary.contains("first token +31 ms"));
    QVERIFY(summary.contains("Route: long context"));
    QCOMPARE(summary.count('\n'), 2);
    QTRY_VERIFY2(inspector->summary()->height() >= inspector->summary()->sizeHint().height(),
                 "lines are cut");
    QVERIFY(summary.contains("gpt-4o (Remote) +1 ms: HTTP 503: overloaded"));
    QVERIFY(page.details()->toPlainText().contains("Route:           long context"));

    // No planted key anywhere; the redaction marker shows where they were.
    verifyNoSecret(allShownText(page).toUtf8());
    QVERIFY(client.contains("[redacted]"));
    QVERIFY(backend.contains("[redacted]"));
    QVERIFY(chunks.contains("[redacted]"));
    QVERIFY(events.contains("[redacted]"));
    QVERIFY(inspector->exportButton()->isEnabled());
    saveScreenshot(&page, "requests-inspector-streamed.png");
}

void TestInspectorUi::jsonAnswerShownAsBody() {
    RequestsPage &page = showPage({streamedRecord(), jsonRecord()});
    page.table()->selectRow(1);
    RequestInspector *inspector = page.inspector();
    const QString answer = inspector->pane(RequestInspector::ClientEvents)->toPlainText();
    QVERIFY2(answer.startsWith("── +41 ms · answer ──\n"), qPrintable(answer));
    QVERIFY(answer.contains("\"type\": \"message\""));
    QVERIFY(answer.contains("\"stop_reason\": \"end_turn\""));
    QCOMPARE(inspector->paneTitle(RequestInspector::ClientEvents)->text(), QString("Answer to client"));
    QVERIFY(inspector->pane(RequestInspector::BackendChunks)->toPlainText().startsWith("── +40 ms · "));
    // The page's accessors for the three bodies are the inspector's panes.
    QCOMPARE(page.bodyView(0), inspector->pane(RequestInspector::ClientRequest));
    QCOMPARE(page.bodyView(1), inspector->pane(RequestInspector::BackendRequest));
    QCOMPARE(page.bodyView(2), inspector->pane(RequestInspector::ClientEvents));
    verifyNoSecret(allShownText(page).toUtf8());
    saveScreenshot(&page, "requests-inspector-json.png");

    // Back to the streamed one: everything is replaced.
    page.table()->selectRow(0);
    QVERIFY(inspector->pane(RequestInspector::ClientEvents)->toPlainText().contains("message_start"));
}

void TestInspectorUi::exportWritesTheFourParts() {
    RequestsPage &page = showPage({streamedRecord()});
    page.table()->selectRow(0);
    const QString path = m_dir->filePath("export.json");
    QString error;
    QVERIFY2(page.inspector()->exportTo(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray contents = file.readAll();
    verifyNoSecret(contents);
    QVERIFY(contents.contains("[redacted]"));
    QJsonParseError parseError{};
    const QJsonObject doc = QJsonDocument::fromJson(contents, &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(doc.value("format").toString(), QString("modelrelay-request"));
    const QJsonObject bodies = doc.value("bodies").toObject();
    QCOMPARE(bodies.value("clientRequest").toObject().value("max_tokens").toInt(), 64);
    QCOMPARE(bodies.value("backendRequest").toObject().value("options").toObject().value("num_ctx").toInt(),
             8192);
    const QJsonArray chunks = doc.value("backendChunks").toArray();
    QCOMPARE(chunks.size(), 2);
    QCOMPARE(chunks.at(1).toObject().value("atMs").toInteger(), 60);
    const QJsonArray events = doc.value("clientEvents").toArray();
    QCOMPARE(events.size(), 7);
    QCOMPARE(events.first().toObject().value("event").toString(), QString("message_start"));
    QCOMPARE(events.first().toObject().value("atMs").toInteger(), 14);
    QCOMPARE(doc.value("timings").toObject().value("firstBackendByteMs").toInteger(), 25);
    // What the panes show is what the file holds.
    QVERIFY(contents.contains("\\\"done\\\":true"));
    QVERIFY(page.inspector()->pane(RequestInspector::BackendChunks)->toPlainText().contains("\"done\":true"));
}

void TestInspectorUi::nothingSelectedNothingToExport() {
    RequestsPage &page = showPage({streamedRecord()});
    QVERIFY(!page.inspector()->exportButton()->isEnabled());
    page.table()->selectRow(0);
    QVERIFY(page.inspector()->exportButton()->isEnabled());
    page.table()->setCurrentIndex(QModelIndex());
    QVERIFY(!page.inspector()->hasRecord());
    QVERIFY(!page.inspector()->exportButton()->isEnabled());
    QVERIFY(page.inspector()->pane(RequestInspector::BackendChunks)->toPlainText().isEmpty());
    QString error;
    QVERIFY(!page.inspector()->exportTo(m_dir->filePath("none.json"), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(m_dir->filePath("none.json")));
}

void TestInspectorUi::omittedBytesAreSaid() {
    RequestRecord r = streamedRecord();
    r.backendChunks.append(TimedBytes{RequestRecord::kOmittedMarker, "5000"});
    r.clientWrites.append(TimedBytes{RequestRecord::kOmittedMarker, "700"});
    RequestRecord noBackend = jsonRecord();
    noBackend.id = 9;
    noBackend.endpoint = "count_tokens";
    noBackend.attempts.clear();
    noBackend.backendRequest.clear();
    noBackend.backendChunks.clear();
    noBackend.clientWrites.clear();
    noBackend.response = R"({"input_tokens":120})";
    RequestsPage &page = showPage({r, noBackend});
    page.table()->selectRow(0);
    RequestInspector *inspector = page.inspector();
    QVERIFY(inspector->pane(RequestInspector::BackendChunks)
                ->toPlainText()
                .contains("5000 more bytes not recorded"));
    QVERIFY(inspector->pane(RequestInspector::ClientEvents)
                ->toPlainText()
                .contains("700 more bytes not recorded"));
    QCOMPARE(inspector->paneTitle(RequestInspector::BackendChunks)->text(), QString("Backend chunks · 2"));

    page.table()->selectRow(1);
    QCOMPARE(inspector->pane(RequestInspector::BackendChunks)->toPlainText(),
             QString("(nothing was sent to a backend)"));
    QCOMPARE(inspector->pane(RequestInspector::BackendRequest)->toPlainText(),
             QString("(nothing was sent to a backend)"));
    const QString answer = inspector->pane(RequestInspector::ClientEvents)->toPlainText();
    QVERIFY2(answer.startsWith("── answer ──\n"), qPrintable(answer)); // no timed writes: no time
    QVERIFY(answer.contains("\"input_tokens\": 120"));
}

void TestInspectorUi::realProxyExchange() {
    FakeBackend backend(FakeBackend::Kind::Ollama);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"Hello", " from", " Ollama"};
    reply.chunkDelayMs = 30;
    backend.enqueue(reply);
    ProxyService proxy;
    ProxyConfig config;
    config.port = 0;
    config.backend.kind = BackendKind::Ollama;
    config.backend.name = "fake";
    config.backend.baseUrl = QUrl(backend.baseUrl());
    config.backend.apiKey = QString::fromLatin1(kBearerKey);
    config.modelMap.defaultModel = "fake-model";
    QSignalSpy started(&proxy, &ProxyService::started);
    proxy.start(config);
    QVERIFY(started.wait(5000));
    RequestsPage &page = showPage({});
    connect(&proxy, &ProxyService::requestFinished, m_log.get(), &RequestLogModel::add);

    QNetworkAccessManager client;
    QNetworkRequest request(QUrl(started.first().first().toString() + "/v1/messages"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setRawHeader("x-api-key", kAnthropicKey);
    const QJsonObject body{
        {"model", "claude-sonnet-4-5"},
        {"max_tokens", 64},
        {"stream", true},
        {"messages", QJsonArray{QJsonObject{{"role", "user"},
                                            {"content", "use Bearer " + QString::fromLatin1(kBearerKey)}}}}};
    QNetworkReply *answer = client.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QSignalSpy finished(answer, &QNetworkReply::finished);
    QVERIFY(finished.wait(20000));
    answer->deleteLater();
    QTRY_COMPARE(m_log->rowCount(), 1);
    page.table()->selectRow(0);
    RequestInspector *inspector = page.inspector();
    const QString chunks = inspector->pane(RequestInspector::BackendChunks)->toPlainText();
    QVERIFY2(chunks.count("── +") >= 2, qPrintable(chunks));
    QVERIFY(chunks.contains("\"done\":true"));
    const QString events = inspector->pane(RequestInspector::ClientEvents)->toPlainText();
    QVERIFY2(events.contains(" · message_start ──"), qPrintable(events));
    QVERIFY(events.contains(" · message_stop ──"));
    QVERIFY(inspector->pane(RequestInspector::BackendRequest)
                ->toPlainText()
                .contains("\"model\": \"fake-model\""));
    verifyNoSecret(allShownText(page).toUtf8());
    QVERIFY(inspector->exportTo(m_dir->filePath("real.json")));
    QFile file(m_dir->filePath("real.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    verifyNoSecret(file.readAll());
    saveScreenshot(&page, "requests-inspector-real-proxy.png");
}

QTEST_MAIN(TestInspectorUi)
#include "tst_inspector_ui.moc"
