#include "transport/HttpResponseParser.h"

#include <QtTest>

using namespace modelrelay;

namespace {
struct Outcome {
    HttpResponseParser::State state;
    int status = 0;
    QByteArray body;
    bool keepAlive = false;
};

// Feeds the bytes in pieces of at most `piece` bytes (0: all at once), then, if asked, closes.
Outcome parse(const QByteArray &bytes, qsizetype piece, bool close, HttpResponseParser *out = nullptr) {
    HttpResponseParser parser;
    QByteArray body;
    if (piece == 0)
        parser.feed(bytes, body);
    for (qsizetype at = 0; piece > 0 && at < bytes.size(); at += piece)
        parser.feed(QByteArrayView(bytes).sliced(at, qMin(piece, bytes.size() - at)), body);
    if (close)
        parser.connectionClosed();
    if (out)
        *out = parser;
    return {parser.state(), parser.status(), body, parser.keepAlive()};
}
} // namespace

class TestHttpResponseParser : public QObject {
    Q_OBJECT
private slots:
    void responses_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("close"); // the server closes the connection after the bytes
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");
        using S = HttpResponseParser::State;

        QTest::newRow("content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                          "11\r\n\r\n{\"a\":\"xyz\"}")
            << false << int(S::Complete) << 200 << QByteArray("{\"a\":\"xyz\"}") << true;
        QTest::newRow("content-length incomplete")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345") << false << int(S::Body)
            << 200 << QByteArray("12345") << false;
        QTest::newRow("content-length cut by close")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345") << true << int(S::Failed)
            << 200 << QByteArray("12345") << false;
        QTest::newRow("empty body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") << false
                                    << int(S::Complete) << 200 << QByteArray() << true;
        QTest::newRow("chunked SSE")
            << QByteArray(
                   "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "d\r\ndata: {\"a\":1}\r\n6\r\n\n\ndata\r\n0\r\n\r\n")
            << false << int(S::Complete) << 200 << QByteArray("data: {\"a\":1}\n\ndata") << true;
        QTest::newRow("chunked: extensions, upper-case hex, trailers")
            << QByteArray("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n"
                          "A;name=value\r\n0123456789\r\n0\r\nX-Checksum: 1\r\n\r\n")
            << false << int(S::Complete) << 200 << QByteArray("0123456789") << true;
        QTest::newRow("chunked, bare LF line ends")
            << QByteArray("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n") << false
            << int(S::Complete) << 200 << QByteArray("abc") << true;
        QTest::newRow("chunked cut by close")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") << true
            << int(S::Failed) << 200 << QByteArray("ab") << false;
        QTest::newRow("chunked: bad size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << false
            << int(S::Failed) << 200 << QByteArray() << false;
        QTest::newRow("chunked: data longer than its size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
            << false << int(S::Failed) << 200 << QByteArray("ab") << false;
        QTest::newRow("until close")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n{\"done\":true}\n")
            << true << int(S::Complete) << 200 << QByteArray("{\"done\":true}\n") << false;
        QTest::newRow("until close, still open") << QByteArray("HTTP/1.1 200 OK\r\n\r\npartial") << false
                                                 << int(S::Body) << 200 << QByteArray("partial") << false;
        QTest::newRow("connection: close")
            << QByteArray("HTTP/1.1 500 Internal Server Error\r\nConnection: "
                          "close\r\nContent-Length: 5\r\n\r\noops!")
            << false << int(S::Complete) << 500 << QByteArray("oops!") << false;
        QTest::newRow("http/1.0 closes by default")
            << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok") << false << int(S::Complete)
            << 200 << QByteArray("ok") << false;
        QTest::newRow("http/1.0 keep-alive")
            << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok") << false
            << int(S::Complete) << 200 << QByteArray("ok") << true;
        QTest::newRow("100 continue first")
            << QByteArray(
                   "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnope")
            << false << int(S::Complete) << 404 << QByteArray("nop") << false; // 'e' is unexpected
        QTest::newRow("no reason phrase (529)")
            << QByteArray("HTTP/1.1 529\r\nContent-Length: 2\r\n\r\n{}") << false << int(S::Complete) << 529
            << QByteArray("{}") << true;
        QTest::newRow("204 has no body") << QByteArray("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n")
                                         << false << int(S::Complete) << 204 << QByteArray() << true;
        QTest::newRow("folded header")
            << QByteArray("HTTP/1.1 200 OK\r\nX-Long: a\r\n b\r\nContent-Length: 1\r\n\r\nx") << false
            << int(S::Complete) << 200 << QByteArray("x") << true;
        QTest::newRow("repeated equal content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx") << false << int(S::Complete)
            << 200 << QByteArray("x") << true;
        QTest::newRow("conflicting content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx") << false << int(S::Failed)
            << 200 << QByteArray() << false;
        QTest::newRow("negative content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nx") << false << int(S::Failed) << 200
            << QByteArray() << false;
        QTest::newRow("chunked wins over content-length, no reuse")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n")
            << false << int(S::Complete) << 200 << QByteArray("x") << false;
        QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << false << int(S::Failed) << 0
                                  << QByteArray() << false;
        QTest::newRow("header without colon") << QByteArray("HTTP/1.1 200 OK\r\nbroken\r\n\r\n") << false
                                              << int(S::Failed) << 200 << QByteArray() << false;
        QTest::newRow("closed before the head") << QByteArray("HTTP/1.1 200 OK\r\nContent-") << true
                                                << int(S::Failed) << 200 << QByteArray() << false;
        QTest::newRow("closed before anything")
            << QByteArray() << true << int(S::Failed) << 0 << QByteArray() << false;
    }

    // Every split of the bytes must give the same result: whole, byte by byte, and in two pieces
    // at every position.
    void responses() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, close);
        QFETCH(int, state);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);

        for (qsizetype piece : {qsizetype(0), qsizetype(1), qsizetype(2), qsizetype(7)}) {
            const Outcome outcome = parse(bytes, piece, close);
            QCOMPARE(int(outcome.state), state);
            QCOMPARE(outcome.status, status);
            QCOMPARE(outcome.body, body);
            QCOMPARE(outcome.keepAlive, keepAlive);
        }
        for (qsizetype split = 1; split < bytes.size(); ++split) {
            HttpResponseParser parser;
            QByteArray received;
            parser.feed(QByteArrayView(bytes).first(split), received);
            parser.feed(QByteArrayView(bytes).sliced(split), received);
            if (close)
                parser.connectionClosed();
            QCOMPARE(int(parser.state()), state);
            QCOMPARE(received, body);
        }
    }

    void headers() {
        HttpResponseParser parser;
        parse("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\ncontent-type:application/json\r\n"
              "X-Long: a\r\n b\r\nContent-Length: 2\r\n\r\n{}",
              1, false, &parser);
        QCOMPARE(parser.status(), 429);
        QCOMPARE(parser.reasonPhrase(), QByteArray("Too Many Requests"));
        QCOMPARE(parser.header("retry-after"), QByteArray("3"));
        QCOMPARE(parser.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(parser.header("x-long"), QByteArray("a b"));
        QCOMPARE(parser.header("missing"), QByteArray());
        QCOMPARE(parser.headers().size(), 4);
    }

    void headIsKnownBeforeTheBody() {
        HttpResponseParser parser;
        QByteArray body;
        parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n", body);
        QVERIFY(!parser.hasHead());
        parser.feed("\r\n", body);
        QVERIFY(parser.hasHead());
        QCOMPARE(parser.state(), HttpResponseParser::State::Body);
        parser.feed("5\r\nhel", body);
        QCOMPARE(body, QByteArray("hel"));
        parser.feed("lo\r\n", body);
        QCOMPARE(body, QByteArray("hello"));
        QVERIFY(!parser.isComplete());
    }

    void oversizedHeadFails() {
        HttpResponseParser parser;
        QByteArray body;
        parser.feed("HTTP/1.1 200 OK\r\nX-Big: ", body);
        parser.feed(QByteArray(70 * 1024, 'a'), body);
        QVERIFY(parser.hasFailed());
        QVERIFY(!parser.errorString().isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
