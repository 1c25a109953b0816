// The real modelrelay binary: version, help, configuration errors, headless start and stop.
#include "FakeBackend.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
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
    // The key reaches the backend, and nothing else: not stdout, not stderr (even at debug level),
    // not the settings file.
    void apiKeyIsSentButNeverShown() {
        const QByteArray key = "sk-cli-secret-4711";
        modelrelay::testing::FakeBackend backend(modelrelay::testing::FakeBackend::Kind::OpenAI);
        QVERIFY(backend.listen());
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QTemporaryDir dir;
        const QString ini = dir.filePath("settings.ini");

        QProcess process;
        QProcessEnvironment env = environment("PROVIDER_API_KEY=" + QString::fromLatin1(key));
        env.insert("PROVIDER", "openai");
        env.insert("PROVIDER_BASE_URL", QString("http://127.0.0.1:%1/v1").arg(backend.port()));
        env.insert("DEFAULT_MODEL", "fake-model");
        env.insert("LOG_LEVEL", "debug");
        process.setProcessEnvironment(env);
        process.start(MODELRELAY_BIN, {"--headless", "--port", QString::number(port), "--settings", ini});
        QVERIFY(process.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("listening on"), 5000);

        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(QString("http://127.0.0.1:%1/v1/messages").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        std::unique_ptr<QNetworkReply> reply(network.post(
            request,
            R"({"model":"claude-cli-test","max_tokens":16,"messages":[{"role":"user","content":"hi"}]})"));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(backend.requests().size(), 1);
        QVERIFY2(backend.requests().at(0).headers.value("authorization") == "Bearer " + key,
                 "the backend did not get the key");
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("claude-cli-test"), 5000);

        process.terminate();
        QVERIFY(process.waitForFinished(5000));
        out += process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(!out.contains(key), "stdout shows the API key");
        QVERIFY2(!err.contains(key), "stderr shows the API key");
        QFile settings(ini);
        QVERIFY2(!settings.open(QIODevice::ReadOnly) || !settings.readAll().contains(key),
                 "the settings file holds the API key");
    }
    // A password in the backend URL, the access token and a model name full of escape sequences:
    // none of them reach stdout, stderr or /health as they are.
    void secretsAndControlCharactersStayOutOfTheOutput() {
        modelrelay::testing::FakeBackend backend(modelrelay::testing::FakeBackend::Kind::OpenAI);
        QVERIFY(backend.listen());
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const QByteArray password = "url-pass-4712";
        const QByteArray token = "tok-never-printed-0815";
        QProcess process;
        QProcessEnvironment env = environment("MODELRELAY_ACCESS_TOKEN=" + QString::fromLatin1(token));
        env.insert("PROVIDER", "openai");
        env.insert("PROVIDER_BASE_URL",
                   QString("http://relay:%1@127.0.0.1:%2/v1").arg(password).arg(backend.port()));
        env.insert("DEFAULT_MODEL", "fake-model");
        process.setProcessEnvironment(env);
        process.start(MODELRELAY_BIN, {"--headless", "--port", QString::number(port), "--settings",
                                       QDir::temp().filePath("modelrelay-cli-secrets.ini")});
        QVERIFY(process.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("Use it with"), 5000);
        QVERIFY2(out.contains("ANTHROPIC_API_KEY=\"$MODELRELAY_ACCESS_TOKEN\""), out.constData());
        QVERIFY2(out.contains(QString("-> openai http://127.0.0.1:%1/v1").arg(backend.port()).toUtf8()),
                 out.constData());

        QNetworkAccessManager network;
        auto request = [&](const QString &path) {
            QNetworkRequest r(QUrl(QString("http://127.0.0.1:%1%2").arg(port).arg(path)));
            r.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
            r.setRawHeader("x-api-key", token);
            return r;
        };
        std::unique_ptr<QNetworkReply> health(network.get(request("/health")));
        QTRY_VERIFY_WITH_TIMEOUT(health->isFinished(), 10000);
        const QByteArray healthBody = health->readAll();
        QVERIFY2(healthBody.contains("127.0.0.1") && !healthBody.contains(password), healthBody.constData());
        std::unique_ptr<QNetworkReply> reply(
            network.post(request("/v1/messages"),
                         "{\"model\":\"claude-\\u001b]0;owned\\u0007\\u001b[31mred\",\"max_tokens\":16,"
                         "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("[31mred"), 5000);
        process.terminate();
        QVERIFY(process.waitForFinished(5000));
        out += process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(out.contains("claude-\\x1b]0;owned\\x07\\x1b[31mred"), out.constData());
        for (const QByteArray &output : {out, err}) {
            QVERIFY2(!output.contains(password), output.constData());
            QVERIFY2(!output.contains(token), output.constData());
            QVERIFY2(!output.contains('\x1b') && !output.contains('\x07'), output.constData());
        }
    }

private:
    static QProcessEnvironment environment(const QString &extra) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // Never the developer's saved settings.
        env.insert("XDG_CONFIG_HOME", QDir::tempPath() + "/modelrelay-cli-test-config");
        for (const char *name : {"PORT", "HOST", "PROVIDER", "PROVIDER_BASE_URL", "DEFAULT_MODEL",
                                 "MODEL_MAP_JSON", "LOG_LEVEL", "MODELRELAY_ACCESS_TOKEN"})
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
