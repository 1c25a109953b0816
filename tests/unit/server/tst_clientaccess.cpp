// Who may use the proxy: the access token (x-api-key or Bearer) and JSON-only bodies.
#include "server/ClientAccess.h"

#include <QtTest>

using namespace modelrelay;

class TestClientAccess : public QObject {
    Q_OBJECT
private slots:
    void token_data();
    void token();
    void contentType_data();
    void contentType();
    void accessTokenIsNotPassedOn();
};

void TestClientAccess::token_data() {
    QTest::addColumn<QByteArray>("xApiKey");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("required");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no token set, no key") << QByteArray() << QByteArray() << QString() << true << QString();
    QTest::newRow("no token set, any key")
        << QByteArray("whatever") << QByteArray() << QString() << true << QString();
    QTest::newRow("x-api-key matches") << QByteArray("tok-1") << QByteArray() << "tok-1" << true << QString();
    QTest::newRow("bearer matches") << QByteArray() << QByteArray("Bearer tok-1") << "tok-1" << true
                                    << QString();
    QTest::newRow("bearer, any case")
        << QByteArray() << QByteArray("bearer  tok-1 ") << "tok-1" << true << QString();
    QTest::newRow("wrong x-api-key, right bearer")
        << QByteArray("nope") << QByteArray("Bearer tok-1") << "tok-1" << true << QString();
    QTest::newRow("missing") << QByteArray() << QByteArray() << "tok-1" << false
                             << "requires an access token";
    QTest::newRow("wrong") << QByteArray("tok-2") << QByteArray() << "tok-1" << false << "does not match";
    QTest::newRow("prefix only") << QByteArray("tok-") << QByteArray() << "tok-1" << false
                                 << "does not match";
    QTest::newRow("longer") << QByteArray("tok-12") << QByteArray() << "tok-1" << false << "does not match";
    QTest::newRow("basic auth is not bearer")
        << QByteArray() << QByteArray("Basic tok-1") << "tok-1" << false << "does not match";
    QTest::newRow("bearer without token")
        << QByteArray() << QByteArray("Bearer ") << "tok-1" << false << "does not match";
}

void TestClientAccess::token() {
    QFETCH(QByteArray, xApiKey);
    QFETCH(QByteArray, authorization);
    QFETCH(QString, required);
    QFETCH(bool, allowed);
    QFETCH(QString, mentions);
    const auto refused = ClientAccess::checkToken(xApiKey, authorization, required);
    QCOMPARE(!refused.has_value(), allowed);
    if (refused) {
        QCOMPARE(refused->httpStatus(), 401);
        QCOMPARE(refused->typeName(), QString("authentication_error"));
        QVERIFY2(refused->message.contains(mentions), qPrintable(refused->message));
        QVERIFY(refused->message.contains("ANTHROPIC_API_KEY"));
        QVERIFY(!refused->message.contains(required)); // never echo the secret
    }
}

void TestClientAccess::contentType_data() {
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("absent") << QByteArray() << true;
    QTest::newRow("json") << QByteArray("application/json") << true;
    QTest::newRow("json with charset") << QByteArray("application/json; charset=utf-8") << true;
    QTest::newRow("upper case") << QByteArray("Application/JSON") << true;
    QTest::newRow("vendor json") << QByteArray("application/vnd.api+json") << true;
    QTest::newRow("text/plain (a cross-site form)") << QByteArray("text/plain") << false;
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << false;
    QTest::newRow("multipart") << QByteArray("multipart/form-data; boundary=x") << false;
    QTest::newRow("xml") << QByteArray("application/xml") << false;
}

void TestClientAccess::contentType() {
    QFETCH(QByteArray, contentType);
    QFETCH(bool, allowed);
    const auto refused = ClientAccess::checkContentType(contentType);
    QCOMPARE(!refused.has_value(), allowed);
    if (refused) {
        QCOMPARE(refused->httpStatus(), 415);
        QCOMPARE(refused->typeName(), QString("invalid_request_error"));
        QVERIFY(refused->message.contains("application/json"));
    }
}

// The relay's token opens the relay; a backend that gets the client's credentials must not get it.
void TestClientAccess::accessTokenIsNotPassedOn() {
    const HttpHeaders headers{
        {"x-api-key", "relay-token"}, {"Authorization", "Bearer sk-ant-own"}, {"anthropic-beta", "b"}};
    QCOMPARE(ClientAccess::withoutAccessToken(headers, "relay-token"),
             (HttpHeaders{{"Authorization", "Bearer sk-ant-own"}, {"anthropic-beta", "b"}}));
    QCOMPARE(ClientAccess::withoutAccessToken({{"authorization", "bearer relay-token"}}, "relay-token"),
             HttpHeaders{});
    QCOMPARE(ClientAccess::withoutAccessToken(headers, ""), headers);
}

QTEST_GUILESS_MAIN(TestClientAccess)
#include "tst_clientaccess.moc"
