#include "server/OriginGuard.h"

#include <QtTest>

using namespace modelrelay;

class TestOriginGuard : public QObject {
    Q_OBJECT
private slots:
    void check_data() {
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<QString>("configuredHost");
        QTest::addColumn<bool>("allowed");

        QTest::newRow("claude code") << QByteArray() << QByteArray("127.0.0.1:8787") << "127.0.0.1" << true;
        QTest::newRow("localhost host")
            << QByteArray() << QByteArray("localhost:8787") << "127.0.0.1" << true;
        QTest::newRow("fully qualified localhost")
            << QByteArray() << QByteArray("localhost.:8787") << "127.0.0.1" << true;
        QTest::newRow("fully qualified configured name")
            << QByteArray() << QByteArray("relay.lan.:8787") << "relay.lan" << true;
        QTest::newRow("ipv6 host") << QByteArray() << QByteArray("[::1]:8787") << "::1" << true;
        QTest::newRow("no host header") << QByteArray() << QByteArray() << "127.0.0.1" << true;
        QTest::newRow("lan ip when exposed")
            << QByteArray() << QByteArray("192.168.1.5:8787") << "0.0.0.0" << true;
        QTest::newRow("configured name")
            << QByteArray() << QByteArray("relay.lan:8787") << "relay.lan" << true;
        QTest::newRow("loopback origin")
            << QByteArray("http://localhost:3000") << QByteArray("127.0.0.1:8787") << "127.0.0.1" << true;
        QTest::newRow("127 origin") << QByteArray("http://127.0.0.1:5173") << QByteArray("127.0.0.1:8787")
                                    << "127.0.0.1" << true;
        QTest::newRow("web page origin")
            << QByteArray("https://evil.example") << QByteArray("127.0.0.1:8787") << "127.0.0.1" << false;
        QTest::newRow("null origin") << QByteArray("null") << QByteArray("127.0.0.1:8787") << "127.0.0.1"
                                     << false;
        QTest::newRow("dns rebinding")
            << QByteArray() << QByteArray("attacker.example:8787") << "127.0.0.1" << false;
        QTest::newRow("localhost under another name")
            << QByteArray() << QByteArray("localhost.evil.example.:8787") << "127.0.0.1" << false;
        QTest::newRow("lookalike localhost")
            << QByteArray() << QByteArray("localhost.evil.example:8787") << "127.0.0.1" << false;
    }

    void check() {
        QFETCH(QByteArray, origin);
        QFETCH(QByteArray, host);
        QFETCH(QString, configuredHost);
        QFETCH(bool, allowed);
        const auto refusal = OriginGuard::check(origin, host, configuredHost);
        QCOMPARE(!refusal.has_value(), allowed);
        if (refusal) {
            QCOMPARE(refusal->httpStatus(), 403);
            QCOMPARE(refusal->typeName(), QStringLiteral("permission_error"));
        }
    }
};

QTEST_APPLESS_MAIN(TestOriginGuard)
#include "tst_originguard.moc"
