// The real modelrelay binary: version, help, configuration errors, headless start and stop.
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void version() {
        const auto [code, out, err] = run({"--version"});
        QCOMPARE(code, 0);
        QCOMPARE(out, QByteArray("ModelRelay " MODELRELAY_VERSION "\n"));
    }
    void help_data() {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("env");
        QTest::newRow("--help") << "--help"
                                << "";
        QTest::newRow("-h") << "-h"
                            << "";
        QTest::newRow("--help despite a bad PORT") << "--help"
                                                   << "PORT=abc";
    }
    void help() {
        QFETCH(QString, flag);
        QFETCH(QString, env);
        const auto [code, out, err] = run({flag}, env);
        QCOMPARE(code, 0);
        QVERIFY(out.startsWith("Usage: modelrelay [options]\n"));
        QVERIFY(out.contains("PROVIDER_BASE_URL"));
        QVERIFY(out.contains("--headless"));
        QCOMPARE(err, QByteArray());
    }
    void badConfigurationExitsWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("PORT")
            << QStringList{"--headless"} << "PORT=abc"
            << QByteArray("modelrelay: PORT: 'abc' is not a port number (1-65535, or 0 for any free port)");
        QTest::newRow("--provider") << QStringList{"--headless", "--provider", "foo"} << ""
                                    << QByteArray("modelrelay: --provider: 'foo' is not a backend kind");
    }
    void badConfigurationExitsWithTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, env);
        QFETCH(QByteArray, message);
        const auto [code, out, err] = run(args, env);
        QCOMPARE(code, 2);
        QVERIFY2(err.startsWith(message), err.constData());
        QCOMPARE(err.count('\n'), 1);
    }
    void portInUseIsReported() {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        const auto [code, out, err] = run({"--headless", "--port", QString::number(blocker.serverPort())});
        QCOMPARE(code, 1);
        QVERIFY2(err.contains("already in use"), err.constData());
    }
    void headlessStartsAndStopsCleanly() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QProcess process;
        process.setProcessEnvironment(environment("PROVIDER_API_KEY=sk-never-printed"));
        process.start(MODELRELAY_BIN, {"--headless", "--port", QString::number(port)});
        QVERIFY(process.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput())
                                     .contains("listening on http://127.0.0.1:" + QByteArray::number(port)),
                                 5000);
        process.terminate(); // SIGTERM: a clean shutdown, exit code 0
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(!process.readAllStandardError().contains("sk-never-printed"));
    }

private:
    static QProcessEnvironment environment(const QString &extra) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // Never the developer's saved settings.
        env.insert("XDG_CONFIG_HOME", QDir::tempPath() + "/modelrelay-cli-test-config");
        for (const char *name : {"PORT", "HOST", "PROVIDER", "PROVIDER_BASE_URL", "DEFAULT_MODEL",
                                 "MODEL_MAP_JSON", "LOG_LEVEL"})
            env.remove(name);
        if (!extra.isEmpty())
            env.insert(extra.section('=', 0, 0), extra.section('=', 1));
        return env;
    }
    static std::tuple<int, QByteArray, QByteArray> run(const QStringList &args, const QString &env = {}) {
        QProcess process;
        process.setProcessEnvironment(environment(env));
        process.start(MODELRELAY_BIN, args);
        if (!process.waitForFinished(10000))
            process.kill();
        return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
