// The front door through raw sockets: HTTP/1.1 as clients use it (pipelining, Connection: close,
// HTTP/1.0, Expect: 100-continue) and the limits it holds hostile ones to (framing conflicts,
// header and request-line caps, bodies refused before they are read, timeouts, the connection cap).
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "RawClient.h"
#include "SseStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <memory>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

QByteArray requestBody(bool stream) {
    return QJsonDocument(
               QJsonObject{{"model", "claude-sonnet-4-5"},
                           {"max_tokens", 1024},
                           {"stream", stream},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "hi"}}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray post(const QByteArray &body, const QByteArray &extraHeaders = {},
                const QByteArray &version = "1.1") {
    return "POST /v1/messages HTTP/" + version + "\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
           extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

const QByteArray kHealth = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

QString errorType(const RawResponse &response) {
    return QJsonDocument::fromJson(response.body).object().value("error").toObject().value("type").toString();
}

} // namespace

class TestFrontDoor : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void pipelinedRequestsAreAnsweredInOrder();
    void connectionCloseIsHonoured();
    void http10GetsItsOwnFraming();
    void expectContinueIsAnsweredAtOnce();
    void expectContinueOverTheLimitIsRefusedAtOnce();
    void framingConflictsAreRefused_data();
    void framingConflictsAreRefused();
    void headCapsAreEnforced_data();
    void headCapsAreEnforced();
    void oversizedContentLengthIsRefusedBeforeTheBody();
    void chunkedBodyIsCountedAsItArrives();
    void accessTokenIsCheckedBeforeTheBody();
    void slowHeadTimesOut();
    void slowBodyTimesOut();
    void idleConnectionsAreClosed();
    void connectionCapRefusesCleanly();
    void fullyQualifiedLocalhostIsLoopback();

private:
    void startProxy(const std::function<void(ProxyConfig &)> &adjust = {}) {
        QVERIFY(m_proxy->start(*m_backend, adjust));
    }
    // A request on a connection of its own: the server still answers normally.
    void verifyStillServing() {
        RawClient client(m_proxy->port());
        QVERIFY(client.send(kHealth));
        const auto health = client.readResponse();
        QVERIFY(health);
        QCOMPARE(health->status, 200);
    }

    std::unique_ptr<FakeBackend> m_backend;
    std::unique_ptr<ProxyUnderTest> m_proxy;
};

void TestFrontDoor::init() {
    m_backend = std::make_unique<FakeBackend>(FakeBackend::Kind::OpenAI);
    QVERIFY(m_backend->listen());
    m_backend->setDefaultAnswer(10, 20, 0); // a stream that lasts 200 ms
    m_proxy = std::make_unique<ProxyUnderTest>();
}

void TestFrontDoor::cleanup() {
    m_proxy.reset();
    m_backend.reset();
}

void TestFrontDoor::pipelinedRequestsAreAnsweredInOrder() {
    startProxy();
    RawClient client(m_proxy->port());
    // All three in one write: the second and third arrive while the first still streams.
    QVERIFY(client.send(post(requestBody(true)) + kHealth + post(requestBody(false))));
    const auto stream = client.readResponse();
    QVERIFY(stream);
    QCOMPARE(stream->status, 200);
    QVERIFY(stream->header("content-type").startsWith("text/event-stream"));
    const QList<SseEvent> events = parseSse(stream->body);
    QCOMPARE(streamProblem(events), QString());
    QCOMPARE(streamText(events).count("tok"), 10);
    const auto health = client.readResponse();
    QVERIFY(health);
    QCOMPARE(QJsonDocument::fromJson(health->body).object().value("status").toString(), QString("ok"));
    const auto message = client.readResponse();
    QVERIFY(message);
    QCOMPARE(QJsonDocument::fromJson(message->body).object().value("type").toString(), QString("message"));
    QVERIFY(client.unread().isEmpty());
    QVERIFY(client.isConnected()); // keep-alive throughout
}

void TestFrontDoor::connectionCloseIsHonoured() {
    startProxy();
    RawClient client(m_proxy->port());
    QVERIFY(client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" + kHealth));
    const auto health = client.readResponse();
    QVERIFY(health);
    QCOMPARE(health->header("connection"), QByteArray("close"));
    QVERIFY(client.waitForClose(2000));
    QVERIFY(!client.readResponse(200)); // the pipelined request after the close is not answered
}

void TestFrontDoor::http10GetsItsOwnFraming() {
    startProxy();
    {
        RawClient client(m_proxy->port());
        QVERIFY(client.send(post(requestBody(true), {}, "1.0")));
        QVERIFY(client.waitForClose(5000)); // the stream's end is the connection's end
        const auto stream = client.readResponse(100);
        QVERIFY(stream);
        QCOMPARE(stream->status, 200);
        QCOMPARE(stream->header("transfer-encoding"), QByteArray()); // HTTP/1.0 has no chunked coding
        QCOMPARE(streamProblem(parseSse(stream->body)), QString());
    }
    RawClient client(m_proxy->port());
    QVERIFY(client.send(post(requestBody(false), "Connection: keep-alive\r\n", "1.0")));
    const auto first = client.readResponse();
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QCOMPARE(first->header("connection").toLower(), QByteArray("keep-alive"));
    QVERIFY(client.send("GET /health HTTP/1.0\r\n\r\n"));
    const auto second = client.readResponse();
    QVERIFY(second);
    QCOMPARE(second->status, 200);
    QVERIFY(client.waitForClose(2000)); // no keep-alive asked the second time
}

void TestFrontDoor::expectContinueIsAnsweredAtOnce() {
    startProxy();
    RawClient client(m_proxy->port());
    const QByteArray body = requestBody(false);
    QVERIFY(client.send("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Expect: 100-continue\r\nContent-Length: " +
                        QByteArray::number(body.size()) + "\r\n\r\n"));
    QElapsedTimer clock;
    clock.start();
    const auto interim =
        client.readResponse(3000); // without it, nothing comes (curl gives up waiting after 1 s)
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    QVERIFY(client.send(body));
    const auto answer = client.readResponse();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
}

void TestFrontDoor::expectContinueOverTheLimitIsRefusedAtOnce() {
    startProxy([](ProxyConfig &c) { c.maxRequestBytes = 1024 * 1024; });
    RawClient client(m_proxy->port());
    QVERIFY(client.send("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n"));
    const auto refused = client.readResponse(3000);
    QVERIFY(refused);
    QCOMPARE(refused->status, 413);
    QCOMPARE(errorType(*refused), QString("request_too_large"));
    QVERIFY(m_proxy->waitForRecords(1));
    QCOMPARE(m_proxy->records().constFirst().status, 413);
}

void TestFrontDoor::framingConflictsAreRefused_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    const QByteArray body = requestBody(false);
    const QByteArray chunked = QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
    QTest::newRow("Content-Length and chunked")
        << "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
           "application/json\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
        << 400;
    QTest::newRow("two lengths") << "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                                    "Content-Length: " +
                                        QByteArray::number(body.size()) + "\r\n\r\n" + body
                                 << 400;
    QTest::newRow("gzip")
        << "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n" + body << 501;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
}

void TestFrontDoor::framingConflictsAreRefused() {
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    startProxy();
    RawClient client(m_proxy->port());
    QVERIFY(client.send(request));
    const auto refused = client.readResponse();
    QVERIFY(refused);
    QCOMPARE(refused->status, status);
    QCOMPARE(refused->header("connection"), QByteArray("close"));
    QVERIFY(client.waitForClose(5000));
    QVERIFY(m_backend->requests().isEmpty());
    verifyStillServing();
}

void TestFrontDoor::headCapsAreEnforced_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("200 KB header") << "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " +
                                          QByteArray(200 * 1024, 'a') + "\r\n\r\n"
                                   << 431;
    QTest::newRow("10 KB request line")
        << "GET /" + QByteArray(10 * 1024, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        << 414;
    QByteArray many = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 500; ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("500 header fields") << many + "\r\n" << 431;
}

void TestFrontDoor::headCapsAreEnforced() {
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    startProxy();
    RawClient client(m_proxy->port());
    client.send(request); // the server may stop reading before the end
    const auto refused = client.readResponse();
    QVERIFY(refused);
    QCOMPARE(refused->status, status);
    QCOMPARE(errorType(*refused), QString("invalid_request_error"));
    QVERIFY(client.waitForClose(5000));
    verifyStillServing();
}

void TestFrontDoor::oversizedContentLengthIsRefusedBeforeTheBody() {
    startProxy([](ProxyConfig &c) { c.maxRequestBytes = 1024 * 1024; });
    RawClient client(m_proxy->port());
    // A gigabyte announced, not a byte of it sent: the answer must not wait for it.
    QVERIFY(client.send("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: 1073741824\r\n\r\n"));
    const auto refused = client.readResponse(2000);
    QVERIFY(refused);
    QCOMPARE(refused->status, 413);
    QVERIFY2(QJsonDocument::fromJson(refused->body)
                 .object()
                 .value("error")
                 .toObject()
                 .value("message")
                 .toString()
                 .contains("1024.0 MB is over ModelRelay's limit of 1.0 MB"),
             refused->body.constData());
    // What the client sends after the refusal is dropped, then the connection closes.
    client.send(QByteArray(256 * 1024, 'a'));
    QVERIFY(client.waitForClose(5000));
    QVERIFY(m_proxy->waitForRecords(1));
    QCOMPARE(m_proxy->records().constFirst().status, 413);
    QVERIFY(m_backend->requests().isEmpty());
}

void TestFrontDoor::chunkedBodyIsCountedAsItArrives() {
    startProxy([](ProxyConfig &c) { c.maxRequestBytes = 1024 * 1024; });
    RawClient client(m_proxy->port());
    QVERIFY(client.send("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n"));
    const QByteArray chunk =
        QByteArray::number(400 * 1024, 16) + "\r\n" + QByteArray(400 * 1024, 'a') + "\r\n";
    QVERIFY(client.send(chunk));
    QVERIFY(client.send(chunk));
    QVERIFY(!client.readResponse(300)); // 800 KB: within the limit, nothing said yet
    client.send(chunk);                 // 1200 KB: over it
    const auto refused = client.readResponse(2000);
    QVERIFY(refused);
    QCOMPARE(refused->status, 413);
    QVERIFY(client.waitForClose(5000));
    QVERIFY(m_proxy->waitForRecords(1));
    QCOMPARE(m_proxy->records().constFirst().status, 413);
}

void TestFrontDoor::accessTokenIsCheckedBeforeTheBody() {
    startProxy([](ProxyConfig &c) { c.accessToken = "tok-Secret-42"; });
    RawClient client(m_proxy->port());
    QVERIFY(client.send("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: 300000000\r\n\r\n"));
    const auto refused = client.readResponse(2000);
    QVERIFY(refused);
    QCOMPARE(refused->status, 401);
    QCOMPARE(errorType(*refused), QString("authentication_error"));
    QVERIFY(client.waitForClose(5000));
}

void TestFrontDoor::slowHeadTimesOut() {
    startProxy([](ProxyConfig &c) { c.clientHeaderTimeoutMs = 400; });
    RawClient client(m_proxy->port());
    QVERIFY(client.send("GET /health HTTP/1.1\r\n"));
    // A byte now and then does not keep a head alive that never ends.
    for (int i = 0; i < 3; ++i) {
        QTest::qWait(150);
        client.send("X-A: b\r\n");
    }
    const auto refused = client.readResponse(2000);
    QVERIFY(refused);
    QCOMPARE(refused->status, 408);
    QVERIFY(client.waitForClose(5000));
    verifyStillServing();
}

void TestFrontDoor::slowBodyTimesOut() {
    startProxy([](ProxyConfig &c) { c.clientIdleTimeoutMs = 400; });
    RawClient client(m_proxy->port());
    QVERIFY(client.send("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: 1000\r\n\r\n{\"model\""));
    const auto refused = client.readResponse(2000);
    QVERIFY(refused);
    QCOMPARE(refused->status, 408);
    QVERIFY(m_proxy->waitForRecords(1));
    QCOMPARE(m_proxy->records().constFirst().status, 408);
}

void TestFrontDoor::idleConnectionsAreClosed() {
    startProxy([](ProxyConfig &c) { c.clientIdleTimeoutMs = 300; });
    RawClient silent(m_proxy->port());
    RawClient served(m_proxy->port());
    QVERIFY(served.send(kHealth));
    QVERIFY(served.readResponse());
    QVERIFY(silent.waitForClose(2000));
    QVERIFY(served.waitForClose(2000));
}

void TestFrontDoor::connectionCapRefusesCleanly() {
    startProxy([](ProxyConfig &c) { c.maxConnections = 3; });
    std::vector<std::unique_ptr<RawClient>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<RawClient>(m_proxy->port()));
        QVERIFY(open.back()->send(kHealth)); // each answered: all three are accepted
        QVERIFY(open.back()->readResponse());
    }
    RawClient fourth(m_proxy->port());
    fourth.send(kHealth);
    const auto refused = fourth.readResponse();
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    QCOMPARE(refused->header("retry-after"), QByteArray("1"));
    QCOMPARE(errorType(*refused), QString("overloaded_error"));
    QVERIFY(fourth.waitForClose(2000));
    open.pop_back();
    // The freed place is taken again (accepting never stopped), once the server saw the close.
    bool answered = false;
    for (const QDeadlineTimer deadline(10000); !answered && !deadline.hasExpired();) {
        RawClient next(m_proxy->port());
        next.send(kHealth);
        const auto answer = next.readResponse(2000);
        answered = answer && answer->status == 200;
    }
    QVERIFY(answered);
}

void TestFrontDoor::fullyQualifiedLocalhostIsLoopback() {
    startProxy();
    RawClient client(m_proxy->port());
    QVERIFY(client.send("GET /health HTTP/1.1\r\nHost: localhost.:8787\r\n\r\n"));
    const auto health = client.readResponse();
    QVERIFY(health);
    QCOMPARE(health->status, 200);
}

QTEST_GUILESS_MAIN(TestFrontDoor)
#include "tst_frontdoor.moc"
