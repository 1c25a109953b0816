// The front door's request parser, fed whole, byte by byte and in odd pieces: every split of the
// input must read the same request, or fail with the same status.
#include "server/http/HttpRequestParser.h"

#include <QtTest>

using namespace modelrelay;
using State = HttpRequestParser::State;

namespace {

struct Parsed {
    State state = State::Head;
    HttpRequestHead head;
    QByteArray body;
    int errorStatus = 0;
    qint64 errorBodyBytes = -1;
    qsizetype used = 0; // bytes of the input the request took
};

// Feeds `bytes` in pieces of `piece` bytes (0: all at once), allowing a body of `limit` bytes
// when the head is done, until the request is complete or failed.
Parsed parse(const QByteArray &bytes, qsizetype piece, qint64 limit = 1024 * 1024) {
    HttpRequestParser parser;
    qsizetype at = 0;
    while (parser.state() != State::Complete && parser.state() != State::Failed) {
        if (parser.state() == State::HeadDone) {
            parser.allowBody(limit);
            continue;
        }
        if (at >= bytes.size())
            break;
        const qsizetype size = piece == 0 ? bytes.size() - at : qMin(piece, bytes.size() - at);
        at += parser.feed(QByteArrayView(bytes).sliced(at, size));
    }
    return {
        parser.state(), parser.head(), parser.body(), parser.error().status, parser.error().bodyBytes, at};
}

const QList<qsizetype> kPieces{0, 1, 2, 3, 7, 13, 64};

} // namespace

class TestHttpRequestParser : public QObject {
    Q_OBJECT
private slots:
    void requests_data();
    void requests();
    void refusals_data();
    void refusals();
    void pipelinedRequestsAreReadOneAtATime();
    void nothingOfABodyOverTheLimitIsBuffered();
    void chunkedBodiesAreCountedAsTheyArrive();
    void stopsAfterTheHeadUntilTheBodyIsAllowed();
    void resetReadsTheNextRequest();
    void theQueryIsKeptApartFromThePath();
};

void TestHttpRequestParser::requests_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("expectContinue");

    QTest::newRow("GET") << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1:8787\r\n\r\n")
                         << QByteArray("GET") << "/health" << QByteArray() << true << false;
    QTest::newRow("POST with Content-Length")
        << QByteArray("POST /v1/messages?beta=true HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                      "application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"xyz\"}")
        << QByteArray("POST") << "/v1/messages" << QByteArray("{\"a\":\"xyz\"}") << true << false;
    QTest::newRow("chunked, extensions, trailer")
        << QByteArray("POST /v1/messages HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "4;ext=1\r\n{\"a\"\r\nA\r\n:\"0123456\"\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n")
        << QByteArray("POST") << "/v1/messages" << QByteArray("{\"a\":\"0123456\"}") << true << false;
    QTest::newRow("bare LF line ends")
        << QByteArray("POST /x HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n")
        << QByteArray("POST") << "/x" << QByteArray("abc") << true << false;
    QTest::newRow("empty lines before the request line")
        << QByteArray("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray("GET") << "/" << QByteArray()
        << true << false;
    QTest::newRow("HTTP/1.0 closes") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("GET") << "/"
                                     << QByteArray() << false << false;
    QTest::newRow("HTTP/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                                         << QByteArray("GET") << "/" << QByteArray() << true << false;
    QTest::newRow("Connection: close")
        << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nConnection: te, close\r\n\r\n") << QByteArray("GET")
        << "/" << QByteArray() << false << false;
    QTest::newRow("Expect: 100-continue")
        << QByteArray(
               "POST /v1/messages HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n{}")
        << QByteArray("POST") << "/v1/messages" << QByteArray("{}") << true << true;
    QTest::newRow("absolute form, escaped path")
        << QByteArray("GET http://127.0.0.1:8787/v1/%6Dessages?x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        << QByteArray("GET") << "/v1/messages" << QByteArray() << true << false;
    QTest::newRow("repeated equal Content-Length")
        << QByteArray("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc")
        << QByteArray("POST") << "/x" << QByteArray("abc") << true << false;
}

void TestHttpRequestParser::requests() {
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    QFETCH(bool, expectContinue);
    for (const qsizetype piece : kPieces) {
        const Parsed parsed = parse(bytes, piece);
        const QByteArray where = "pieces of " + QByteArray::number(piece);
        QVERIFY2(parsed.state == State::Complete, where);
        QCOMPARE(parsed.head.method, method);
        QCOMPARE(parsed.head.path, path);
        QCOMPARE(parsed.body, body);
        QCOMPARE(parsed.head.keepAlive, keepAlive);
        QCOMPARE(parsed.head.expectContinue, expectContinue);
        QCOMPARE(parsed.used, bytes.size());
    }
}

void TestHttpRequestParser::refusals_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    const QByteArray post = "POST /v1/messages HTTP/1.1\r\nHost: h\r\n";

    QTest::newRow("Content-Length and Transfer-Encoding")
        << post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        << 400;
    QTest::newRow("Transfer-Encoding and Content-Length")
        << post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        << 400;
    QTest::newRow("differing Content-Lengths")
        << post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd" << 400;
    QTest::newRow("signed Content-Length") << post + "Content-Length: +3\r\n\r\nabc" << 400;
    QTest::newRow("gzip coding") << post + "Transfer-Encoding: gzip, chunked\r\n\r\n" << 501;
    QTest::newRow("chunked twice") << post + "Transfer-Encoding: chunked, chunked\r\n\r\n" << 501;
    QTest::newRow("Transfer-Encoding in HTTP/1.0")
        << QByteArray("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
    QTest::newRow("no Host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("two Hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
    QTest::newRow("space before the colon") << QByteArray("GET / HTTP/1.1\r\nHost : h\r\n\r\n") << 400;
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  2\r\n\r\n") << 400;
    QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nHost: h\rX-A: 1\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << 505;
    QTest::newRow("no version") << QByteArray("GET /\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("method with a slash") << QByteArray("GE/T / HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("relative target") << QByteArray("GET health HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("request line over 8 KB")
        << "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n"
        << 414;
    QTest::newRow("header block over 64 KB")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n"
        << 431;
    QByteArray manyHeaders = "GET / HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < 200; ++i)
        manyHeaders += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("200 header fields") << manyHeaders + "\r\n" << 431;
    QTest::newRow("bad chunk size") << post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" << 400;
    QTest::newRow("chunk longer than its size")
        << post + "Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"
        << 400;
    QTest::newRow("huge chunk size") << post + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n"
                                     << 400;
    QTest::newRow("Content-Length over the limit") << post + "Content-Length: 2000000\r\n\r\n" << 413;
}

void TestHttpRequestParser::refusals() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    for (const qsizetype piece : kPieces) {
        const Parsed parsed = parse(bytes, piece);
        QVERIFY2(parsed.state == State::Failed, "pieces of " + QByteArray::number(piece));
        QCOMPARE(parsed.errorStatus, status);
        QVERIFY(!parsed.head.keepAlive);
    }
}

void TestHttpRequestParser::pipelinedRequestsAreReadOneAtATime() {
    const QByteArray first = "POST /v1/messages HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nfirst";
    const QByteArray second = "GET /health HTTP/1.1\r\nHost: h\r\n\r\n";
    for (const qsizetype piece : kPieces) {
        const QByteArray both = first + second;
        const Parsed one = parse(both, piece);
        QCOMPARE(one.state, State::Complete);
        QCOMPARE(one.body, QByteArray("first"));
        QCOMPARE(one.used, first.size()); // not a byte of the next request
        const Parsed two = parse(both.mid(one.used), piece);
        QCOMPARE(two.state, State::Complete);
        QCOMPARE(two.head.path, QString("/health"));
    }
}

void TestHttpRequestParser::nothingOfABodyOverTheLimitIsBuffered() {
    const QByteArray head = "POST /v1/messages HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n";
    HttpRequestParser parser;
    QCOMPARE(parser.feed(head + QByteArray(4096, 'x')), head.size());
    QCOMPARE(parser.state(), State::HeadDone);
    parser.allowBody(32 * 1024 * 1024);
    QCOMPARE(parser.state(), State::Failed);
    QCOMPARE(parser.error().status, 413);
    QCOMPARE(parser.error().bodyBytes, qint64(1073741824));
    QVERIFY(parser.body().isEmpty());
}

void TestHttpRequestParser::chunkedBodiesAreCountedAsTheyArrive() {
    HttpRequestParser parser;
    parser.feed("POST /v1/messages HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
    parser.allowBody(1000);
    const QByteArray chunk = "1F4\r\n" + QByteArray(500, 'a') + "\r\n";
    parser.feed(chunk);
    QCOMPARE(parser.state(), State::Body);
    QCOMPARE(parser.body().size(), 500);
    // The next chunk would pass the limit: refused at its size line, before its data.
    QCOMPARE(parser.feed("1F5\r\n"), 5);
    QCOMPARE(parser.state(), State::Failed);
    QCOMPARE(parser.error().status, 413);
    QCOMPARE(parser.body().size(), 500);
}

void TestHttpRequestParser::stopsAfterTheHeadUntilTheBodyIsAllowed() {
    const QByteArray head = "POST /v1/messages HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n";
    HttpRequestParser parser;
    QCOMPARE(parser.feed(head + "{}"), head.size());
    QCOMPARE(parser.state(), State::HeadDone);
    QCOMPARE(parser.feed("{}"), 0);
    parser.allowBody(2);
    QCOMPARE(parser.feed("{}"), 2);
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.body(), QByteArray("{}"));
}

void TestHttpRequestParser::resetReadsTheNextRequest() {
    HttpRequestParser parser;
    parser.feed("GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    parser.allowBody(0);
    QCOMPARE(parser.state(), State::Complete);
    parser.reset();
    QVERIFY(!parser.hasStarted());
    parser.feed("GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
    parser.allowBody(0);
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.head().path, QString("/b"));
    QVERIFY(parser.head().keepAlive);
}

// Claude Code posts to /v1/messages?beta=true; an Anthropic backend is asked the same way.
void TestHttpRequestParser::theQueryIsKeptApartFromThePath() {
    const Parsed plain = parse("GET /v1/messages HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    QCOMPARE(plain.head.query, QString());
    const Parsed beta = parse("POST /v1/m%65ssages?beta=true&x=%20 HTTP/1.1\r\nHost: h\r\n\r\n", 3);
    QCOMPARE(beta.head.path, QString("/v1/messages"));
    QCOMPARE(beta.head.query, QString("beta=true&x=%20"));
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
