// RequestRecordExport and the timed capture it reads: the bug-report document's shape, SSE events
// split at any piece boundary, the cap marker, and planted keys that must never reach the file.
#include "records/RequestRecordExport.h"
#include "records/SecretRedactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>
#include <QtTest>

using namespace modelrelay;

Q_DECLARE_METATYPE(QList<modelrelay::TimedSseEvent>)

class TestRequestRecordExport : public QObject {
    Q_OBJECT
private slots:
    void documentShape();
    void eventsSplitAtEveryPieceBoundary_data();
    void eventsSplitAtEveryPieceBoundary();
    void crlfEventsAndUnfinishedTail();
    void cappedCaptureEndsInOneMarker();
    void markerIsExported();
    void responseStandsInForMissingWrites();
    void plantedKeyNeverReachesTheFile_data();
    void plantedKeyNeverReachesTheFile();
    void ordinaryContentIsNotRedacted();
};

namespace {

const QByteArray kSse = "event: message_start\n"
                        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\"}}\n\n"
                        "event: content_block_delta\n"
                        "data: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"Hi\"}}\n\n"
                        "event: ping\n"
                        "data: {\"type\": \"ping\"}\n\n"
                        "event: message_stop\n"
                        "data: {\"type\":\"message_stop\"}\n\n";

QList<TimedSseEvent> expectedEvents(qint64 atFirst, qint64 atRest, qsizetype cut) {
    // An event gets the time of the piece holding its last byte (the blank line).
    QList<TimedSseEvent> events;
    const QList<std::pair<QString, QByteArray>> parts = {
        {"message_start", R"({"type":"message_start","message":{"id":"msg_1"}})"},
        {"content_block_delta", R"({"type":"content_block_delta","delta":{"text":"Hi"}})"},
        {"ping", R"({"type": "ping"})"},
        {"message_stop", R"({"type":"message_stop"})"},
    };
    qsizetype end = 0;
    for (const auto &[name, data] : parts) {
        end = kSse.indexOf("\n\n", end) + 2;
        events.append(TimedSseEvent{end <= cut ? atFirst : atRest, name, data});
    }
    return events;
}

RequestRecord sampleRecord() {
    RequestRecord r;
    r.id = 42;
    r.startedAt = QDateTime(QDate(2026, 11, 25), QTime(11, 0, 0, 5), QTimeZone::utc());
    r.endpoint = "messages";
    r.clientModel = "claude-sonnet-4-5";
    r.backendName = "Local Ollama";
    r.backendModel = "qwen2.5-coder:32b";
    r.route = "long context";
    r.stream = true;
    r.status = 200;
    r.estimatedInputTokens = 120;
    r.inputTokens = 118;
    r.timeToFirstTokenMs = 30;
    r.durationMs = 90;
    r.stopReason = "end_turn";
    r.notes = {"max_tokens capped at 8192"};
    r.attempts = {BackendAttempt{"Remote", "gpt-4o", "HTTP 503: overloaded", 1},
                  BackendAttempt{"Local Ollama", "qwen2.5-coder:32b", "", 12}};
    r.clientRequest = R"({"model":"claude-sonnet-4-5","max_tokens":64,"stream":true})";
    r.backendRequest = R"({"model":"qwen2.5-coder:32b","stream":true,"options":{"num_ctx":8192}})";
    r.backendChunks = {TimedBytes{25, "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n"},
                       TimedBytes{60, "{\"done\":true,\"eval_count\":1}\n"}};
    r.clientWrites = {TimedBytes{14, kSse.left(kSse.indexOf("event: content"))},
                      TimedBytes{31, kSse.mid(kSse.indexOf("event: content"))}};
    r.response = kSse;
    return r;
}

} // namespace

void TestRequestRecordExport::documentShape() {
    const QJsonObject doc = RequestRecordExport::toJson(sampleRecord());
    QCOMPARE(doc.value("format").toString(), QString("modelrelay-request"));
    QCOMPARE(doc.value("modelrelayVersion").toString(), QString(MODELRELAY_VERSION));
    QVERIFY(!doc.value("modelrelayVersion").toString().isEmpty());

    const QJsonObject request = doc.value("request").toObject();
    QCOMPARE(request.value("id").toString(), QString("42"));
    QCOMPARE(request.value("backendModel").toString(), QString("qwen2.5-coder:32b"));
    QCOMPARE(request.value("route").toString(), QString("long context"));
    QCOMPARE(request.value("inputTokens").toInt(), 118);
    QVERIFY(request.value("outputTokens").isNull()); // not reported is not zero

    const QJsonObject timings = doc.value("timings").toObject();
    QCOMPARE(timings.value("firstBackendByteMs").toInteger(), 25);
    QCOMPARE(timings.value("firstClientWriteMs").toInteger(), 14);
    QCOMPARE(timings.value("durationMs").toInteger(), 90);

    const QJsonArray attempts = doc.value("attempts").toArray();
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts.at(0).toObject().value("outcome").toString(), QString("HTTP 503: overloaded"));
    QCOMPARE(attempts.at(1).toObject().value("atMs").toInteger(), 12);
    QCOMPARE(doc.value("notes").toArray().first().toString(), QString("max_tokens capped at 8192"));

    // JSON bodies stay JSON; the NDJSON answer and the SSE stream are text.
    const QJsonObject bodies = doc.value("bodies").toObject();
    QCOMPARE(bodies.value("clientRequest").toObject().value("max_tokens").toInt(), 64);
    QCOMPARE(bodies.value("backendRequest").toObject().value("options").toObject().value("num_ctx").toInt(),
             8192);
    QCOMPARE(
        bodies.value("backendResponse").toString(),
        QString("{\"message\":{\"content\":\"Hi\"},\"done\":false}\n{\"done\":true,\"eval_count\":1}\n"));
    QCOMPARE(bodies.value("clientResponse").toString(), QString::fromUtf8(kSse));

    const QJsonArray chunks = doc.value("backendChunks").toArray();
    QCOMPARE(chunks.size(), 2);
    QCOMPARE(chunks.at(1).toObject().value("atMs").toInteger(), 60);
    QCOMPARE(chunks.at(1).toObject().value("text").toString(), QString("{\"done\":true,\"eval_count\":1}\n"));
    QCOMPARE(doc.value("clientWrites").toArray().size(), 2);

    const QJsonArray events = doc.value("clientEvents").toArray();
    QCOMPARE(events.size(), 4);
    const QJsonObject delta = events.at(1).toObject();
    QCOMPARE(delta.value("event").toString(), QString("content_block_delta"));
    QCOMPARE(delta.value("atMs").toInteger(), 31);
    QCOMPARE(delta.value("data").toObject().value("delta").toObject().value("text").toString(),
             QString("Hi"));
    QCOMPARE(events.at(0).toObject().value("atMs").toInteger(), 14);

    // The file is that document, and is named after the request.
    QCOMPARE(QJsonDocument::fromJson(RequestRecordExport::toFileContents(sampleRecord())).object(), doc);
    QCOMPARE(RequestRecordExport::suggestedFileName(sampleRecord()), QString("modelrelay-request-42.json"));
}

void TestRequestRecordExport::eventsSplitAtEveryPieceBoundary_data() {
    QTest::addColumn<qsizetype>("cut");
    for (qsizetype cut = 0; cut <= kSse.size(); cut += 7)
        QTest::addRow("cut at %lld", qlonglong(cut)) << cut;
    QTest::addRow("cut between the two newlines") << kSse.indexOf("\n\n") + 1;
}

void TestRequestRecordExport::eventsSplitAtEveryPieceBoundary() {
    QFETCH(qsizetype, cut);
    const QList<TimedBytes> pieces = {TimedBytes{5, kSse.left(cut)}, TimedBytes{9, kSse.mid(cut)}};
    QCOMPARE(RequestRecordExport::splitEvents(pieces), expectedEvents(5, 9, cut));
}

void TestRequestRecordExport::crlfEventsAndUnfinishedTail() {
    const QList<TimedBytes> pieces = {TimedBytes{1, "event: a\r\ndata: 1\r"},
                                      TimedBytes{2, "\n\r\n: comment\n\ndata: x\ndata: y\n\nevent: cut"}};
    const QList<TimedSseEvent> events = RequestRecordExport::splitEvents(pieces);
    const QList<TimedSseEvent> expected = {TimedSseEvent{2, "a", "1"}, TimedSseEvent{2, "", "x\ny"}};
    QCOMPARE(events, expected);
}

void TestRequestRecordExport::cappedCaptureEndsInOneMarker() {
    QList<TimedBytes> list;
    qsizetype recorded = 0;
    const QByteArray chunk(100 * 1024, 'a');
    for (int i = 0; i < 5; ++i) // 500 KB offered, 256 KB kept
        RequestRecord::appendTimedCapped(list, recorded, i, chunk);
    RequestRecord::appendTimedCapped(list, recorded, 9, QByteArray()); // nothing, not a marker update
    QCOMPARE(recorded, RequestRecord::kMaxRecordedBody);
    qsizetype kept = 0;
    int markers = 0;
    qint64 omitted = 0;
    for (const TimedBytes &entry : list) {
        if (RequestRecord::isOmittedMarker(entry)) {
            ++markers;
            omitted += RequestRecord::omittedBytes(entry);
        } else {
            kept += entry.bytes.size();
        }
    }
    QCOMPARE(kept, RequestRecord::kMaxRecordedBody);
    QCOMPARE(markers, 1);
    QVERIFY(RequestRecord::isOmittedMarker(list.constLast()));
    QCOMPARE(omitted, 5 * chunk.size() - RequestRecord::kMaxRecordedBody);
    QCOMPARE(list.size(), 4); // 100 + 100 + 56 KB, then the marker
    QCOMPARE(list.at(2).atMs, 2);
}

void TestRequestRecordExport::markerIsExported() {
    RequestRecord r = sampleRecord();
    r.backendChunks.append(TimedBytes{RequestRecord::kOmittedMarker, "1234"});
    const QJsonArray chunks = RequestRecordExport::toJson(r).value("backendChunks").toArray();
    QCOMPARE(chunks.size(), 3);
    QCOMPARE(chunks.last().toObject().value("omittedBytes").toInteger(), 1234);
    QVERIFY(!chunks.last().toObject().contains("text"));
}

void TestRequestRecordExport::responseStandsInForMissingWrites() {
    RequestRecord r = sampleRecord();
    r.endpoint = "count_tokens";
    r.stream = false;
    r.backendChunks.clear();
    r.clientWrites.clear();
    r.response = R"({"input_tokens":120})";
    const QJsonObject doc = RequestRecordExport::toJson(r);
    QCOMPARE(doc.value("bodies").toObject().value("clientResponse").toObject().value("input_tokens").toInt(),
             120);
    QVERIFY(doc.value("bodies").toObject().value("backendResponse").isNull());
    QVERIFY(doc.value("timings").toObject().value("firstClientWriteMs").isNull());
    QVERIFY(doc.value("clientWrites").toArray().isEmpty());

    r.response = kSse; // an SSE answer without timed writes still yields its events, untimed
    const QJsonArray events = RequestRecordExport::toJson(r).value("clientEvents").toArray();
    QCOMPARE(events.size(), 4);
    QVERIFY(!events.first().toObject().contains("atMs"));
}

void TestRequestRecordExport::plantedKeyNeverReachesTheFile_data() {
    QTest::addColumn<RequestRecord>("record");
    QTest::addColumn<QByteArray>("secret");
    const QByteArray secret = "Zq9fK2mPx7Lw4RtY8vBn";
    const QByteArray skKey = "sk-ant-api03-" + secret;
    auto with = [](auto change) {
        RequestRecord r = sampleRecord();
        change(r);
        return r;
    };
    QTest::newRow("api_key member in the client request")
        << with([&](RequestRecord &r) { r.clientRequest = R"({"model":"m","api_key":")" + secret + "\"}"; })
        << secret;
    QTest::newRow("nested apiKey in the backend request") << with([&](RequestRecord &r) {
        r.backendRequest = R"({"model":"m","options":{"apiKey":")" + secret + "\"}}";
    }) << secret;
    QTest::newRow("X-Api-Key as a number-like bare value") << with([&](RequestRecord &r) {
        r.backendRequest = R"({"X-Api-Key":)" + QByteArray("123456789012345") + "}";
    }) << QByteArray("123456789012345");
    QTest::newRow("secret member holding an object") << with([&](RequestRecord &r) {
        r.clientRequest = R"({"client_secret":{"value":")" + secret + "\"}}";
    }) << secret;
    QTest::newRow("Authorization header echoed in an error body") << with([&](RequestRecord &r) {
        r.backendChunks = {TimedBytes{3, "{\"error\":\"bad header Authorization: Bearer " + secret + "\"}"}};
    }) << secret;
    QTest::newRow("Bearer token in plain text") << with([&](RequestRecord &r) {
        r.backendChunks = {TimedBytes{3, "401 Bearer " + secret + " refused\n"}};
    }) << secret;
    QTest::newRow("sk- key in an error text") << with([&](RequestRecord &r) {
        r.error = "Incorrect API key provided: " + QString::fromLatin1(skKey);
    }) << skKey.mid(3);
    QTest::newRow("sk- key split across two backend chunks") << with([&](RequestRecord &r) {
        r.backendChunks = {TimedBytes{3, "data: {\"error\":\"key " + skKey.left(9)},
                           TimedBytes{4, skKey.mid(9) + " is invalid\"}\n\n"}};
    }) << skKey.mid(9);
    QTest::newRow("sk- key in an SSE event to the client") << with([&](RequestRecord &r) {
        r.clientWrites = {TimedBytes{8, "event: error\ndata: {\"message\":\"" + skKey + "\"}\n\n"}};
    }) << skKey.mid(3);
    QTest::newRow("password in the response fallback") << with([&](RequestRecord &r) {
        r.clientWrites.clear();
        r.response = "password=" + secret + "&user=me";
    }) << secret;
    QTest::newRow("access_token in a note and a warning") << with([&](RequestRecord &r) {
        r.notes = {"retried with access_token=" + QString::fromLatin1(secret)};
        r.warning = "header x-api-key: " + QString::fromLatin1(secret);
    }) << secret;
}

void TestRequestRecordExport::plantedKeyNeverReachesTheFile() {
    QFETCH(RequestRecord, record);
    QFETCH(QByteArray, secret);
    const QByteArray file = RequestRecordExport::toFileContents(record);
    QVERIFY2(!file.contains(secret), file.constData());
    QVERIFY2(!file.contains(secret.toBase64()), "leaked through base64");
    QVERIFY(file.contains("[redacted]"));
    // The secret's neighbourhood survives: redaction cuts the value, not the document.
    QVERIFY(!QJsonDocument::fromJson(file).isNull());
}

void TestRequestRecordExport::ordinaryContentIsNotRedacted() {
    RequestRecord r = sampleRecord();
    r.clientRequest =
        R"({"max_tokens":64,"messages":[{"role":"user","content":"ask-me about task-42 and the tokens"}]})";
    const QByteArray file = RequestRecordExport::toFileContents(r);
    QVERIFY(!file.contains("[redacted]"));
    QVERIFY(file.contains("ask-me about task-42 and the tokens"));
    QCOMPARE(SecretRedactor::redact(QByteArray("Bearer abc.def-ghi and more")),
             QByteArray("Bearer [redacted] and more"));
    QCOMPARE(SecretRedactor::redactPieces({"x sk-abcd", "efgh1234 y"}),
             (QList<QByteArray>{"x [redacted]", " y"}));
}

QTEST_APPLESS_MAIN(TestRequestRecordExport)
#include "tst_requestrecordexport.moc"
