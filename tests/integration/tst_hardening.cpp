// The proxy's defences and limits, through real sockets: body size limit, JSON-only bodies, the
// optional access token, and 200 streams at once.
#include "FakeBackend.h"
#include "ProxyUnderTest.h"
#include "SseStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>
#include <memory>

using namespace modelrelay;
using namespace modelrelay::testing;

namespace {

using Headers = ProxyUnderTest::Headers;

QByteArray requestBody(bool stream, const QString &text = "hi") {
    return QJsonDocument(
               QJsonObject{{"model", "claude-sonnet-4-5"},
                           {"max_tokens", 1024},
                           {"stream", stream},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", text}}}}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject errorOf(const RawHttpExchange &exchange) {
    return QJsonDocument::fromJson(exchange.body()).object().value("error").toObject();
}

} // namespace

class TestHardening : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void bodyOverTheLimitIs413_data();
    void bodyOverTheLimitIs413();
    void nonJsonBodiesAre415_data();
    void nonJsonBodiesAre415();
    void accessToken_data();
    void accessToken();
    void twoHundredConcurrentStreams();
    void unreachableBackendsAreNamed_data();
    void unreachableBackendsAreNamed();
    void backendLineWithoutEndIsCut();
    void unreadableBackendHeadIs502BeforeAnything();

private:
    void startProxy(const std::function<void(ProxyConfig &)> &adjust = {}) {
        QVERIFY(m_proxy->start(*m_backend, adjust));
    }
    // Up to 30 s: bodies of 33 MB take a while.
    std::unique_ptr<RawHttpExchange> exchange(const QByteArray &method, const QByteArray &path,
                                              const QByteArray &body, const Headers &headers = {}) {
        return m_proxy->exchange(method, path, body, headers, 30000);
    }

    std::unique_ptr<FakeBackend> m_backend;
    std::unique_ptr<ProxyUnderTest> m_proxy;
};

void TestHardening::init() {
    m_backend = std::make_unique<FakeBackend>(FakeBackend::Kind::OpenAI);
    QVERIFY(m_backend->listen());
    m_proxy = std::make_unique<ProxyUnderTest>();
}

void TestHardening::cleanup() {
    m_proxy.reset();
    m_backend.reset();
}

void TestHardening::bodyOverTheLimitIs413_data() {
    QTest::addColumn<int>("limitMb");
    QTest::addColumn<int>("bodyMb");
    QTest::addColumn<int>("status");
    QTest::newRow("1 MB limit, 2 MB body") << 1 << 2 << 413;
    QTest::newRow("1 MB limit, 0.5 MB body") << 1 << 0 << 200;
    QTest::newRow("default 32 MB limit, 33 MB body") << 0 << 33 << 413;
}

void TestHardening::bodyOverTheLimitIs413() {
    QFETCH(int, limitMb);
    QFETCH(int, bodyMb);
    QFETCH(int, status);
    startProxy([&](ProxyConfig &c) {
        if (limitMb > 0)
            c.maxRequestBytes = qint64(limitMb) * 1024 * 1024;
    });
    const qsizetype textBytes = bodyMb > 0 ? qsizetype(bodyMb) * 1024 * 1024 : 512 * 1024;
    const auto big = exchange("POST", "/v1/messages", requestBody(false, QString(textBytes, u'a')));
    QCOMPARE(big->transportError(), QByteArray());
    QCOMPARE(big->status(), status);
    if (status == 413) {
        QCOMPARE(errorOf(*big).value("type").toString(), QString("request_too_large"));
        QVERIFY2(errorOf(*big).value("message").toString().contains("MODELRELAY_MAX_REQUEST_MB"),
                 big->body().constData());
        QVERIFY(m_backend->requests().isEmpty());
    }
    // The server keeps serving.
    QCOMPARE(exchange("POST", "/v1/messages", requestBody(false))->status(), 200);
}

void TestHardening::nonJsonBodiesAre415_data() {
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("text/plain") << QByteArray("text/plain");
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded");
    QTest::newRow("multipart") << QByteArray("multipart/form-data; boundary=zzz");
}

void TestHardening::nonJsonBodiesAre415() {
    QFETCH(QByteArray, contentType);
    startProxy();
    const auto refused =
        exchange("POST", "/v1/messages", requestBody(false), {{"Content-Type", contentType}});
    QCOMPARE(refused->status(), 415);
    QCOMPARE(errorOf(*refused).value("type").toString(), QString("invalid_request_error"));
    QVERIFY(m_backend->requests().isEmpty());
    QCOMPARE(exchange("POST", "/v1/messages", requestBody(false))->status(), 200);
}

void TestHardening::accessToken_data() {
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<int>("status");
    QTest::newRow("no key") << QByteArray("/v1/messages") << Headers{} << 401;
    QTest::newRow("wrong x-api-key") << QByteArray("/v1/messages") << Headers{{"x-api-key", "modelrelay"}}
                                     << 401;
    QTest::newRow("right x-api-key") << QByteArray("/v1/messages") << Headers{{"x-api-key", "tok-Secret-42"}}
                                     << 200;
    QTest::newRow("right X-Api-Key") << QByteArray("/v1/messages") << Headers{{"X-Api-Key", "tok-Secret-42"}}
                                     << 200;
    QTest::newRow("right bearer") << QByteArray("/v1/messages")
                                  << Headers{{"authorization", "Bearer tok-Secret-42"}} << 200;
    QTest::newRow("wrong bearer") << QByteArray("/v1/messages") << Headers{{"Authorization", "Bearer nope"}}
                                  << 401;
    QTest::newRow("count_tokens, no key") << QByteArray("/v1/messages/count_tokens") << Headers{} << 401;
    QTest::newRow("count_tokens, right key")
        << QByteArray("/v1/messages/count_tokens") << Headers{{"x-api-key", "tok-Secret-42"}} << 200;
}

void TestHardening::accessToken() {
    QFETCH(QByteArray, path);
    QFETCH(Headers, headers);
    QFETCH(int, status);
    startProxy([](ProxyConfig &c) { c.accessToken = "tok-Secret-42"; });
    const auto answer = exchange("POST", path, requestBody(false), headers);
    QCOMPARE(answer->status(), status);
    if (status == 401) {
        QCOMPARE(errorOf(*answer).value("type").toString(), QString("authentication_error"));
        QVERIFY(!answer->body().contains("tok-Secret-42"));
        QVERIFY(m_backend->requests().isEmpty());
    }
    // Health stays open (it is how the tray and scripts see the proxy is up).
    QCOMPARE(exchange("GET", "/health", {})->status(), 200);
}

void TestHardening::twoHundredConcurrentStreams() {
    m_backend->setDefaultAnswer(20, 5, 0); // 20 words, 5 ms apart: all 200 streams overlap
    startProxy();
    constexpr int kStreams = 200;
    std::vector<std::unique_ptr<RawHttpExchange>> exchanges;
    for (int i = 0; i < kStreams; ++i) {
        exchanges.push_back(std::make_unique<RawHttpExchange>(
            m_proxy->port(), "POST", "/v1/messages", requestBody(i % 10 != 0, QString("n%1").arg(i))));
        exchanges.back()->start();
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(exchanges.begin(), exchanges.end(), [](const auto &e) { return e->isDone(); }), 60000);
    int streamed = 0;
    for (const auto &e : exchanges) {
        QCOMPARE(e->transportError(), QByteArray());
        QCOMPARE(e->status(), 200);
        if (e->header("content-type").startsWith("text/event-stream")) {
            const QList<SseEvent> events = parseSse(e->body());
            QCOMPARE(streamProblem(events), QString());
            QCOMPARE(streamText(events).count("tok"), 20);
            ++streamed;
        } else {
            const QJsonObject message = QJsonDocument::fromJson(e->body()).object();
            QCOMPARE(message.value("type").toString(), QString("message"));
            QCOMPARE(
                message.value("content").toArray().first().toObject().value("text").toString().count("tok"),
                20);
        }
    }
    QCOMPARE(streamed, kStreams - kStreams / 10);
    QCOMPARE(m_backend->requests().size(), kStreams);
}

void TestHardening::unreachableBackendsAreNamed_data() {
    QTest::addColumn<QString>("baseUrl"); // %1: the plain-HTTP fake backend's port
    QTest::addColumn<QString>("mentions");
    // ".invalid" never resolves (RFC 2606).
    QTest::newRow("DNS failure") << "http://modelrelay-test.invalid:9/v1"
                                 << "DNS lookup failed";
    // https:// to a server that speaks plain HTTP (it answers the TLS hello with a 400): the
    // handshake fails.
    QTest::newRow("TLS error") << "https://127.0.0.1:%1/v1"
                               << "TLS";
}

void TestHardening::unreachableBackendsAreNamed() {
    QFETCH(QString, baseUrl);
    QFETCH(QString, mentions);
    QTcpServer plainHttp; // what llama.cpp, vLLM or Ollama answer to bytes that are not HTTP
    QVERIFY(plainHttp.listen(QHostAddress::LocalHost));
    connect(&plainHttp, &QTcpServer::newConnection, this, [&plainHttp] {
        QTcpSocket *socket = plainHttp.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
        });
    });
    const QString url = baseUrl.contains("%1") ? baseUrl.arg(plainHttp.serverPort()) : baseUrl;
    startProxy([&](ProxyConfig &c) { c.backend.baseUrl = QUrl(url); });
    for (const bool stream : {false, true}) {
        const auto answer = exchange("POST", "/v1/messages", requestBody(stream));
        QVERIFY2(answer->status() >= 500, answer->body().constData());
        const QString message = errorOf(*answer).value("message").toString();
        QCOMPARE(errorOf(*answer).value("type").toString(), QString("api_error"));
        QVERIFY2(message.contains(mentions), qPrintable(message));
        QVERIFY2(message.contains(QUrl(url).host()), qPrintable(message));
    }
    QVERIFY(m_backend->requests().isEmpty());
}

void TestHardening::backendLineWithoutEndIsCut() {
    // A "backend" that sends a 200 head, then megabytes without a newline for as long as it is read.
    constexpr qint64 kMaxSent = 64LL * 1024 * 1024;
    QTcpServer bomb;
    QVERIFY(bomb.listen(QHostAddress::LocalHost));
    qint64 sent = 0;
    QPointer<QTcpSocket> backendSide;
    connect(&bomb, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *socket = bomb.nextPendingConnection();
        backendSide = socket;
        auto more = [socket, &sent] {
            if (socket->bytesToWrite() < 1024 * 1024 && sent < kMaxSent) {
                sent += socket->write(QByteArray(256 * 1024, 'a'));
            }
        };
        connect(socket, &QTcpSocket::readyRead, socket, [socket, more] {
            socket->readAll();
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: ");
            more();
        });
        connect(socket, &QTcpSocket::bytesWritten, socket, more);
    });
    startProxy([&](ProxyConfig &c) {
        c.backend.baseUrl = QUrl(QString("http://127.0.0.1:%1/v1").arg(bomb.serverPort()));
    });
    const auto answer = exchange("POST", "/v1/messages", requestBody(true));
    QCOMPARE(answer->status(), 200); // the head said 200: the stream had begun
    const QList<SseEvent> events = parseSse(answer->body());
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.last().name, QString("error"));
    const QString message = events.last().data.value("error").toObject().value("message").toString();
    QVERIFY2(message.contains("16 MB without a line break"), qPrintable(message));
    // The proxy stopped reading and let the backend go long before the bomb ran out.
    QTRY_VERIFY(!backendSide || backendSide->state() == QAbstractSocket::UnconnectedState);
    QVERIFY2(sent < kMaxSent, qPrintable(QString::number(sent)));
    QCOMPARE(exchange("GET", "/health", {})->status(), 200);
}

void TestHardening::unreadableBackendHeadIs502BeforeAnything() {
    // A status line, then a header that never ends within the head's 64 KB.
    QTcpServer broken;
    QVERIFY(broken.listen(QHostAddress::LocalHost));
    connect(&broken, &QTcpServer::newConnection, this, [&broken] {
        QTcpSocket *socket = broken.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->write("HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(80 * 1024, 'a'));
        });
    });
    startProxy([&](ProxyConfig &c) {
        c.backend.baseUrl = QUrl(QString("http://127.0.0.1:%1/v1").arg(broken.serverPort()));
    });
    for (const bool stream : {false, true}) {
        const auto answer = exchange("POST", "/v1/messages", requestBody(stream));
        QCOMPARE(answer->status(), 502);
        QVERIFY(answer->header("content-type").startsWith("application/json"));
        const QString message = errorOf(*answer).value("message").toString();
        QVERIFY2(message.contains("64 KB"), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TestHardening)
#include "tst_hardening.moc"
