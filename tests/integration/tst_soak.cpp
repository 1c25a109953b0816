// Soak: the real `modelrelay --headless` binary serves 10,000 requests (streaming and not, 16 at a
// time, a new connection each) from a fake backend. Its memory must stay flat and no file
// descriptor may leak. The figures go to test-output/soak.txt. MODELRELAY_SOAK_REQUESTS changes
// the count.
#include "FakeBackend.h"
#include "RawHttpExchange.h"
#include "SseStream.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <memory>

using namespace modelrelay::testing;

namespace {

qint64 residentKb(qint64 pid) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
    }
    return -1;
}

int openFileDescriptors(qint64 pid) {
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                   .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                   .size());
}

QByteArray requestBody(int n) {
    return QJsonDocument(
               QJsonObject{{"model", "claude-sonnet-4-5"},
                           {"max_tokens", 256},
                           {"stream", n % 2 == 0},
                           {"messages", QJsonArray{QJsonObject{{"role", "user"},
                                                               {"content", QString("soak %1").arg(n)}}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestSoak : public QObject {
    Q_OBJECT
private slots:
    void tenThousandRequestsLeaveMemoryAndDescriptorsFlat();

private:
    int run(quint16 port, int count, int concurrency, QString *firstProblem);
};

int TestSoak::run(quint16 port, int count, int concurrency, QString *firstProblem) {
    int started = 0;
    int failed = 0;
    int running = 0;
    std::function<void()> next = [&] {
        while (running < concurrency && started < count) {
            const int n = started++;
            ++running;
            auto *exchange = new RawHttpExchange(port, "POST", "/v1/messages", requestBody(n), {}, this);
            connect(exchange, &RawHttpExchange::done, this, [&, exchange, n] {
                QString problem;
                if (exchange->status() != 200)
                    problem = QString("request %1: status %2 %3")
                                  .arg(n)
                                  .arg(exchange->status())
                                  .arg(exchange->transportError());
                else if (n % 2 == 0)
                    problem = streamProblem(parseSse(exchange->body()));
                if (!problem.isEmpty()) {
                    ++failed;
                    if (firstProblem->isEmpty())
                        *firstProblem = problem;
                }
                exchange->deleteLater();
                --running;
                next();
            });
            exchange->start();
        }
    };
    next();
    if (!QTest::qWaitFor([&] { return started == count && running == 0; }, 600000))
        *firstProblem = QString("only %1 of %2 requests finished in time").arg(started - running).arg(count);
    return failed;
}

void TestSoak::tenThousandRequestsLeaveMemoryAndDescriptorsFlat() {
    const int total = qEnvironmentVariableIntValue("MODELRELAY_SOAK_REQUESTS") > 0
                          ? qEnvironmentVariableIntValue("MODELRELAY_SOAK_REQUESTS")
                          : 10000;
    FakeBackend backend(FakeBackend::Kind::OpenAI);
    QVERIFY(backend.listen());
    backend.setDefaultAnswer(30, 0, 0);

    QProcess proxy;
    proxy.setProgram(MODELRELAY_BIN);
    proxy.setArguments({"--headless", "--port", "0", "--provider", "openai", "--base-url", backend.baseUrl(),
                        "--default-model", "fake-model", "--settings",
                        QDir::temp().filePath("soak-unused.ini")});
    QByteArray output;
    connect(&proxy, &QProcess::readyReadStandardOutput, this, [&] {
        output += proxy.readAllStandardOutput();
        if (output.size() > 4096)
            output = output.right(4096);
    });
    proxy.start();
    QVERIFY(proxy.waitForStarted());
    const QRegularExpression listening("listening on http://127\\.0\\.0\\.1:(\\d+)");
    QVERIFY(QTest::qWaitFor([&] { return listening.match(QString::fromUtf8(output)).hasMatch(); }, 10000));
    const quint16 port = quint16(listening.match(QString::fromUtf8(output)).captured(1).toUInt());
    const qint64 pid = proxy.processId();

    const qint64 rssStart = residentKb(pid);
    const int fdStart = openFileDescriptors(pid);
    QString problem;
    const int warmup = qMin(1000, total / 10);
    QCOMPARE(run(port, warmup, 16, &problem), 0);
    QTest::qWait(500);
    const qint64 rssWarm = residentKb(pid);
    const int fdWarm = openFileDescriptors(pid);

    QElapsedTimer clock;
    clock.start();
    const int failed = run(port, total - warmup, 16, &problem);
    const qint64 elapsedMs = clock.elapsed();
    QTest::qWait(1000); // let closed connections be reaped
    const qint64 rssEnd = residentKb(pid);
    const int fdEnd = openFileDescriptors(pid);

    const QString report =
        QString("soak: %1 requests (half streamed, 16 concurrent, new connection each) in %2 s, %3 failed\n"
                "RSS: %4 MB at start, %5 MB after %6 warm-up requests, %7 MB after all\n"
                "open fds: %8 at start, %9 after warm-up, %10 after all\n")
            .arg(total)
            .arg(elapsedMs / 1000.0, 0, 'f', 1)
            .arg(failed)
            .arg(rssStart / 1024.0, 0, 'f', 1)
            .arg(rssWarm / 1024.0, 0, 'f', 1)
            .arg(warmup)
            .arg(rssEnd / 1024.0, 0, 'f', 1)
            .arg(fdStart)
            .arg(fdWarm)
            .arg(fdEnd);
    qInfo().noquote() << report;
    QFile file(QStringLiteral(MODELRELAY_TEST_OUTPUT_DIR "/soak.txt"));
    if (file.open(QIODevice::WriteOnly))
        file.write(report.toUtf8());

    proxy.terminate();
    QVERIFY(proxy.waitForFinished(10000));
    QVERIFY2(failed == 0, qPrintable(problem));
    // Flat: after warm-up (allocator pools, connection pools), the remaining 90 % of the requests
    // may not grow the resident set by more than 4 MB (a leak of even 1 KB per request would).
    QVERIFY2(rssEnd - rssWarm < 4 * 1024, qPrintable(report));
    // Warm-up opens the pooled keep-alive connections to the backend; after it, none may be added.
    QVERIFY2(fdEnd <= fdWarm + 2 && fdEnd < fdStart + 64, qPrintable(report));
}

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
