// The timed capture behind the request inspector, through the real proxy against fake backends:
// the backend's chunks as read and the writes to the client, whose bytes are exactly what the
// client received.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

Q_DECLARE_METATYPE(modelrelay::testing::FakeBackend::Kind)

namespace {

QByteArray joined(const QList<TimedBytes> &pieces) {
    QByteArray all;
    for (const TimedBytes &piece : pieces) {
        if (!RequestRecord::isOmittedMarker(piece))
            all += piece.bytes;
    }
    return all;
}

// What marks the end of each backend's answer on the wire.
QByteArray backendEndMarker(FakeBackend::Kind kind) {
    switch (kind) {
    case FakeBackend::Kind::OpenAI:
        return "[DONE]";
    case FakeBackend::Kind::Ollama:
        return "\"done\":true";
    case FakeBackend::Kind::Anthropic:
        return "message_stop";
    }
    return {};
}

} // namespace

class TestCapture : public QObject {
    Q_OBJECT
private slots:
    void clientWritesAreWhatTheClientReceived_data();
    void clientWritesAreWhatTheClientReceived();
};

void TestCapture::clientWritesAreWhatTheClientReceived_data() {
    QTest::addColumn<FakeBackend::Kind>("kind");
    QTest::addColumn<bool>("stream");
    QTest::newRow("OpenAI, streamed") << FakeBackend::Kind::OpenAI << true;
    QTest::newRow("Ollama, streamed") << FakeBackend::Kind::Ollama << true;
    QTest::newRow("Anthropic, streamed") << FakeBackend::Kind::Anthropic << true;
    QTest::newRow("OpenAI, JSON") << FakeBackend::Kind::OpenAI << false;
    QTest::newRow("Ollama, JSON") << FakeBackend::Kind::Ollama << false;
}

void TestCapture::clientWritesAreWhatTheClientReceived() {
    QFETCH(FakeBackend::Kind, kind);
    QFETCH(bool, stream);
    FakeBackend backend(kind);
    QVERIFY(backend.listen());
    FakeBackend::Reply reply;
    reply.text = {"Hello", " from", " the", " capture"};
    reply.chunkDelayMs = 40; // separate reads, so several chunks with distinct times
    backend.enqueue(reply);

    ProxyUnderTest proxy;
    QVERIFY(proxy.start(backend, [](ProxyConfig &c) { c.backend.name = "fake"; }));

    QNetworkAccessManager client;
    QNetworkRequest request(QUrl(proxy.address() + "/v1/messages"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    const QJsonObject body{{"model", "claude-sonnet-4-5"},
                           {"max_tokens", 256},
                           {"stream", stream},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "hi"}}}}};
    QNetworkReply *answer = client.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QSignalSpy finished(answer, &QNetworkReply::finished);
    QVERIFY(finished.wait(20000));
    QCOMPARE(answer->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QByteArray received = answer->readAll();
    answer->deleteLater();
    QTRY_COMPARE(proxy.records().size(), 1);
    const auto record = proxy.records().first();

    // The writes, in order, are byte for byte what the client got.
    QVERIFY(!record.clientWrites.isEmpty());
    QCOMPARE(joined(record.clientWrites), received);
    QVERIFY(received.contains("capture"));
    if (stream) {
        QVERIFY2(record.clientWrites.size() > 2, "a stream is written in several pieces");
        QVERIFY(received.startsWith("event: message_start"));
    } else {
        QCOMPARE(record.clientWrites.size(), 1);
        QCOMPARE(record.clientWrites.first().bytes, record.response);
    }

    // The backend's answer as it was read: every chunk, in order, timed within the request.
    QVERIFY(!record.backendChunks.isEmpty());
    const QByteArray fromBackend = joined(record.backendChunks);
    if (stream) {
        QVERIFY2(fromBackend.contains(backendEndMarker(kind)), fromBackend.constData());
        QVERIFY2(record.backendChunks.size() >= 2, "paced chunks are read separately");
        // The fake paused 40 ms between chunks: the times show it.
        QVERIFY2(record.backendChunks.last().atMs - record.backendChunks.first().atMs >= 60,
                 qPrintable(
                     QString::number(record.backendChunks.last().atMs - record.backendChunks.first().atMs)));
    }
    for (const QByteArray &word : {QByteArray("Hello"), QByteArray("capture")})
        QVERIFY2(fromBackend.contains(word), fromBackend.constData());
    // A kept chunk holds its bytes, not the read buffer it came in (16 KB or more each: 64 paced
    // streams once kept 140 MB alive that way).
    for (const TimedBytes &chunk : record.backendChunks)
        QVERIFY2(
            chunk.bytes.capacity() <= chunk.bytes.size() + 256,
            qPrintable(
                QString("%1 bytes in a buffer of %2").arg(chunk.bytes.size()).arg(chunk.bytes.capacity())));
    qint64 previous = 0;
    for (const QList<TimedBytes> *list : {&record.backendChunks, &record.clientWrites}) {
        previous = 0;
        for (const TimedBytes &piece : *list) {
            QVERIFY(!RequestRecord::isOmittedMarker(piece));
            QVERIFY(piece.atMs >= previous);
            QVERIFY(piece.atMs <= record.durationMs);
            previous = piece.atMs;
        }
    }
    // The answer's end reached the client after the backend's first byte.
    QVERIFY(record.clientWrites.last().atMs >= record.backendChunks.first().atMs);
}

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_capture.moc"
