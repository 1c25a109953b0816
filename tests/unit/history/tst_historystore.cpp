// The request history on disk: it outlives the store that wrote it, is written in batches, keeps
// no secrets, prunes by age and by size (exchanges first), survives a damaged file by starting a
// new one and keeping the old aside, and answers filters, pages and exports of a time range.
#include "HistoryTesting.h"
#include "TestFiles.h"
#include "history/HistoryDatabase.h"
#include "history/HistoryStore.h"
#include "history/HistoryWriter.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;
using namespace modelrelay::testing;

Q_DECLARE_METATYPE(modelrelay::HistoryFilter)

namespace {

const QDateTime kNow = QDateTime::currentDateTimeUtc();

RequestRecord record(quint64 id, const QString &model = "claude-sonnet-4-5", int status = 200) {
    RequestRecord r;
    r.id = id;
    r.startedAt = kNow.addSecs(-qint64(1000 - id));
    r.endpoint = "messages";
    r.clientModel = model;
    r.backendModel = "qwen2.5-coder:32b";
    r.backendName = "Ollama (local)";
    r.stream = true;
    r.status = status;
    r.estimatedInputTokens = 1000 + int(id);
    r.inputTokens = 1100 + int(id);
    r.outputTokens = 50;
    r.timeToFirstTokenMs = 120;
    r.durationMs = 900;
    r.stopReason = "end_turn";
    r.route = "background";
    r.attempts = {BackendAttempt{"Cloud", "m", "HTTP 503: overloaded", 3},
                  BackendAttempt{"Ollama (local)", "qwen", "", 40}};
    r.notes = {"max_tokens 32000 capped to 8192"};
    r.clientRequest = R"({"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hello #)" +
                      QByteArray::number(id) + "\"}]}";
    r.backendRequest = R"({"model":"qwen2.5-coder:32b","stream":true})";
    r.response = "event: message_start\ndata: {}\n\n";
    r.backendChunks = {TimedBytes{130, "{\"message\":{\"content\":\"Hi\"}}\n"}};
    r.clientWrites = {TimedBytes{131, "event: message_start\ndata: {}\n\n"}};
    return r;
}

} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void persistsAcrossARestart();
    void writesInBatches();
    void secretsAreRedactedBeforeWriting();
    void prunesByAge();
    void prunesBySizeExchangesFirst();
    void damagedFileIsMovedAsideAndANewOneStarted_data();
    void damagedFileIsMovedAsideAndANewOneStarted();
    void filters_data();
    void filters();
    void pagesNewestFirst();
    void exportsATimeRangeAsJsonLines();

private:
    QString path() const { return m_dir->filePath("history/history.sqlite"); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestHistoryStore::initTestCase() {
    if (!HistoryDatabase::driverAvailable())
        QFAIL("Qt's QSQLITE driver is missing: install libqt6sql6-sqlite (scripts/bootstrap.sh does)");
}

void TestHistoryStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestHistoryStore::persistsAcrossARestart() {
    RequestRecord failed = record(3, "claude-haiku-4-5", 502);
    failed.error = "The backend refused the connection (http://127.0.0.1:11434/api/chat).";
    failed.inputTokens.reset();
    failed.outputTokens.reset();
    {
        HistoryStore store(path(), {});
        waitReady(store);
        store.add(record(1));
        store.add(record(2));
        store.add(failed);
    } // the application quits: what was waiting is written
    HistoryStore reopened(path(), {});
    waitReady(reopened);
    QCOMPARE(reopened.queries().count({}), 3);
    const QList<StoredRequest> rows = reopened.queries().rows({}, 0, 10);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).record.id, quint64(3)); // newest first
    const RequestRecord &back = rows.at(0).record;
    QCOMPARE(back.status, 502);
    QCOMPARE(back.error, failed.error);
    QVERIFY(!back.inputTokens.has_value());
    QCOMPARE(back.startedAt.toMSecsSinceEpoch(), failed.startedAt.toMSecsSinceEpoch());
    QVERIFY(back.clientRequest.isEmpty()); // lists carry no bodies
    QVERIFY(rows.at(0).exchangeKept);

    const std::optional<StoredRequest> one = reopened.queries().request(rows.at(2).rowId);
    QVERIFY(one);
    const RequestRecord original = record(1);
    QCOMPARE(one->record.clientRequest, original.clientRequest);
    QCOMPARE(one->record.backendRequest, original.backendRequest);
    QCOMPARE(one->record.response, original.response);
    QCOMPARE(one->record.backendChunks, original.backendChunks);
    QCOMPARE(one->record.clientWrites, original.clientWrites);
    QCOMPARE(one->record.attempts, original.attempts);
    QCOMPARE(one->record.notes, original.notes);
    QCOMPARE(one->record.route, original.route);
    QCOMPARE(one->record.inputTokens, original.inputTokens);
    QCOMPARE(one->record.timeToFirstTokenMs, original.timeToFirstTokenMs);
}

void TestHistoryStore::writesInBatches() {
    HistoryStore store(path(), {});
    waitReady(store);
    QSignalSpy written(&store, &HistoryStore::written);
    for (quint64 i = 1; i <= 1000; ++i)
        store.add(record(i));
    store.flush();
    QTRY_VERIFY(!written.isEmpty());
    int total = 0;
    for (const QList<QVariant> &signal : written)
        total += signal.at(0).toInt();
    QTRY_COMPARE(total, 1000);
    // One transaction per batch, not one per record.
    QVERIFY2(written.size() <= 1000 / HistoryWriter::kBatchSize + 5,
             qPrintable(QString::number(written.size())));
    QCOMPARE(store.queries().count({}), 1000);
}

void TestHistoryStore::secretsAreRedactedBeforeWriting() {
    const QByteArray key = "sk-or-v1-0123456789abcdef0123456789";
    RequestRecord r = record(1);
    r.clientRequest = R"({"model":"m","api_key":"hunter2-password","messages":[]})";
    r.backendRequest = "Authorization: Bearer " + key;
    r.backendChunks = {TimedBytes{1, "{\"error\":\"bad key " + key.left(12)},
                       TimedBytes{2, key.mid(12) + "\"}"}};
    r.error = "HTTP 401 from https://openrouter.ai: invalid key " + QString::fromLatin1(key);
    r.notes = {"sent api_key=" + QString::fromLatin1(key)};
    {
        HistoryStore store(path(), {});
        waitReady(store);
        store.add(r);
        store.flush();
        const std::optional<StoredRequest> back =
            store.queries().request(store.queries().rows({}, 0, 1).at(0).rowId);
        QVERIFY(back);
        for (const QByteArray &text :
             {back->record.clientRequest, back->record.backendRequest, back->record.error.toUtf8(),
              back->record.notes.join(' ').toUtf8(),
              back->record.backendChunks.at(0).bytes + back->record.backendChunks.at(1).bytes}) {
            QVERIFY2(!text.contains("hunter2-password") && !text.contains(key) && !text.contains(key.mid(12)),
                     text.constData());
        }
        QVERIFY(back->record.error.contains("[redacted]"));
    }
    // Nor in the file itself (WAL included), compressed or not.
    for (const QString &file : QDir(QFileInfo(path()).absolutePath()).entryList(QDir::Files)) {
        const QByteArray bytes = readAll(QFileInfo(path()).absoluteDir().filePath(file));
        QVERIFY2(!bytes.contains(key) && !bytes.contains("hunter2-password"), qPrintable(file));
    }
}

void TestHistoryStore::prunesByAge() {
    HistoryStore store(path(), HistoryRetention{7, 0});
    waitReady(store);
    QSignalSpy pruned(&store, &HistoryStore::pruned);
    for (int daysAgo : {30, 8, 6, 1, 0}) {
        RequestRecord r = record(quint64(100 - daysAgo));
        r.startedAt = kNow.addDays(-daysAgo);
        store.add(r);
    }
    store.flush();
    QCOMPARE(store.queries().count({}), 5);
    store.prune();
    QCOMPARE(store.queries().count({}), 3);
    QTRY_COMPARE(pruned.size(), 1);
    QCOMPARE(pruned.at(0).at(0).toInt(), 2);
    for (const StoredRequest &row : store.queries().rows({}, 0, 10))
        QVERIFY(row.record.startedAt > kNow.addDays(-7));
}

void TestHistoryStore::prunesBySizeExchangesFirst() {
    // Exchanges that do not compress (random bytes), 60 KB each: 1 MB holds about 15 of them.
    HistoryStore store(path(), HistoryRetention{0, 1});
    waitReady(store);
    QRandomGenerator random(42);
    for (quint64 i = 1; i <= 60; ++i) {
        RequestRecord r = record(i);
        r.clientRequest.resize(60 * 1024);
        for (char &c : r.clientRequest)
            c = char(random.bounded(256));
        store.add(r);
    }
    store.flush();
    store.prune();
    // Every row is still there: only the oldest exchanges went.
    QCOMPARE(store.queries().count({}), 60);
    const QList<StoredRequest> rows = store.queries().rows({}, 0, 100);
    QVERIFY(rows.first().exchangeKept); // the newest keeps its bodies
    QVERIFY(!rows.last().exchangeKept); // the oldest lost them
    int kept = 0;
    bool seenDropped = false;
    for (const StoredRequest &row : rows) { // newest first: once dropped, all older are dropped
        if (row.exchangeKept) {
            QVERIFY(!seenDropped);
            ++kept;
        } else {
            seenDropped = true;
        }
    }
    QVERIFY2(kept >= 5 && kept <= 16, qPrintable(QString::number(kept)));
    const std::optional<StoredRequest> old = store.queries().request(rows.last().rowId);
    QVERIFY(old && old->record.clientRequest.isEmpty() && old->record.clientModel == "claude-sonnet-4-5");
    // The file gave the space back.
    QVERIFY2(QFileInfo(path()).size() < 2 * 1024 * 1024,
             qPrintable(QString::number(QFileInfo(path()).size())));
}

void TestHistoryStore::damagedFileIsMovedAsideAndANewOneStarted_data() {
    QTest::addColumn<QByteArray>("damage");
    QTest::newRow("not a database") << QByteArray(
        "this is not an SQLite file, it was overwritten by mistake\n");
    QTest::newRow("cut SQLite header")
        << QByteArray("SQLite format 3\0\x10\0\x01\x01", 22).append(QByteArray(3000, '\x7f'));
}

void TestHistoryStore::damagedFileIsMovedAsideAndANewOneStarted() {
    QFETCH(QByteArray, damage);
    {
        HistoryStore store(path(), {});
        waitReady(store);
        store.add(record(1));
    }
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(damage);
    }
    QFile::remove(path() + "-wal");
    HistoryStore store(path(), {});
    QSignalSpy moved(&store, &HistoryStore::movedAside);
    waitReady(store);
    QCOMPARE(moved.size(), 1);
    const QString aside = moved.at(0).at(0).toString();
    QVERIFY2(aside.startsWith(path() + ".damaged-"), qPrintable(aside));
    QCOMPARE(readAll(aside), damage); // nothing lost: the damaged file is kept as it was
    QVERIFY(!moved.at(0).at(1).toString().isEmpty());
    QCOMPARE(store.queries().count({}), 0);
    store.add(record(2));
    store.flush();
    QCOMPARE(store.queries().count({}), 1);
}

void TestHistoryStore::filters_data() {
    QTest::addColumn<HistoryFilter>("filter");
    QTest::addColumn<QList<quint64>>("expected"); // run ids, newest first
    HistoryFilter f;
    QTest::newRow("everything") << f << QList<quint64>{6, 5, 4, 3, 2, 1};
    f = {};
    f.text = "REFUSED";
    QTest::newRow("text in errors, any case") << f << QList<quint64>{4};
    f = {};
    f.text = "50%_off";
    QTest::newRow("LIKE wildcards are literal") << f << QList<quint64>{5};
    f = {};
    f.model = "claude-haiku-4-5";
    QTest::newRow("client model") << f << QList<quint64>{6, 3};
    f = {};
    f.model = "gpt-oss:20b";
    QTest::newRow("backend model") << f << QList<quint64>{2};
    f = {};
    f.backend = "OpenRouter";
    QTest::newRow("backend") << f << QList<quint64>{5, 2};
    f = {};
    f.outcome = HistoryFilter::Outcome::Failed;
    QTest::newRow("failed") << f << QList<quint64>{5, 4};
    f.outcome = HistoryFilter::Outcome::Succeeded;
    QTest::newRow("succeeded") << f << QList<quint64>{6, 3, 2, 1};
    f = {};
    f.from = kNow.addSecs(-3 * 3600);
    f.to = kNow.addSecs(-3600);
    QTest::newRow("time range") << f << QList<quint64>{4, 3};
    f.outcome = HistoryFilter::Outcome::Succeeded;
    f.model = "claude-haiku-4-5";
    QTest::newRow("all at once") << f << QList<quint64>{3};
}

void TestHistoryStore::filters() {
    QFETCH(HistoryFilter, filter);
    QFETCH(QList<quint64>, expected);
    HistoryStore store(path(), {});
    waitReady(store);
    const QList<std::tuple<quint64, QString, QString, QString, int, QString, int>> rows{
        // run id, client model, backend model, backend, status, error, hours ago
        {1, "claude-sonnet-4-5", "qwen2.5-coder:32b", "Ollama (local)", 200, "", 5},
        {2, "claude-sonnet-4-5", "gpt-oss:20b", "OpenRouter", 200, "", 4},
        {3, "claude-haiku-4-5", "qwen2.5:7b", "Ollama (local)", 200, "", 2},
        {4, "claude-sonnet-4-5", "qwen2.5-coder:32b", "Ollama (local)", 502,
         "The backend refused the connection", 2},
        {5, "claude-opus-4-5", "x", "OpenRouter", 200, "stream cut: 50%_off sale", 0},
        {6, "claude-haiku-4-5", "qwen2.5:7b", "Ollama (local)", 200, "", 0},
    };
    for (const auto &[id, client, backendModel, backend, status, error, hoursAgo] : rows) {
        RequestRecord r = record(id, client, status);
        r.backendModel = backendModel;
        r.backendName = backend;
        r.error = error;
        r.startedAt = kNow.addSecs(-hoursAgo * 3600 - 60 + qint64(id));
        store.add(r);
    }
    store.flush();
    QList<quint64> found;
    for (const StoredRequest &row : store.queries().rows(filter, 0, 100))
        found.append(row.record.id);
    QCOMPARE(found, expected);
    QCOMPARE(store.queries().count(filter), qint64(expected.size()));
    QCOMPARE(store.queries().models(),
             (QStringList{"claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-5", "gpt-oss:20b",
                          "qwen2.5-coder:32b", "qwen2.5:7b", "x"}));
    QCOMPARE(store.queries().backends(), (QStringList{"Ollama (local)", "OpenRouter"}));
}

void TestHistoryStore::pagesNewestFirst() {
    HistoryStore store(path(), {});
    waitReady(store);
    for (quint64 i = 1; i <= 250; ++i)
        store.add(record(i));
    store.flush();
    QList<quint64> ids;
    qint64 before = 0;
    for (;;) {
        const QList<StoredRequest> page = store.queries().rows({}, before, 100);
        for (const StoredRequest &row : page)
            ids.append(row.record.id);
        if (page.size() < 100)
            break;
        before = page.constLast().rowId;
    }
    QCOMPARE(ids.size(), 250);
    QCOMPARE(ids.first(), quint64(250));
    QCOMPARE(ids.last(), quint64(1));
    const qint64 newest = store.queries().rows({}, 0, 1).at(0).rowId;
    store.add(record(251));
    store.add(record(252));
    store.flush();
    const QList<StoredRequest> added = store.queries().rowsAfter({}, newest, 100);
    QCOMPARE(added.size(), 2);
    QCOMPARE(added.at(0).record.id, quint64(252));
}

void TestHistoryStore::exportsATimeRangeAsJsonLines() {
    HistoryStore store(path(), {});
    waitReady(store);
    for (quint64 i = 1; i <= 10; ++i) {
        RequestRecord r = record(i);
        r.startedAt = kNow.addSecs(-3600 * qint64(11 - i));
        r.backendRequest = R"({"model":"m","api_key":"sk-live-abcdefghijklmnop"})";
        store.add(r);
    }
    store.flush();
    HistoryFilter range;
    range.from = kNow.addSecs(-3600 * 6 - 1);
    range.to = kNow.addSecs(-3600 * 2 + 1);
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    QString error;
    QCOMPARE(store.queries().exportTo(range, &out, &error), 5);
    const QList<QByteArray> lines = out.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QStringList ids;
    for (const QByteArray &line : lines) {
        const QJsonObject json = QJsonDocument::fromJson(line).object();
        QVERIFY(!json.isEmpty());
        ids << json.value("request").toObject().value("id").toString();
        QVERIFY(!line.contains("sk-live-abcdefghijklmnop"));
    }
    QCOMPARE(ids, (QStringList{"5", "6", "7", "8", "9"})); // oldest first
}

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
