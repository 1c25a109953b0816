// The Usage page against a history of random requests: every number it shows (tables, chart
// bars, totals) equals the sum computed here from the records that were stored. Screenshots at
// 800×600, 2× and dark.
#include "PageScreenshots.h"
#include "charts/BarChart.h"
#include "history/HistoryStore.h"
#include "models/DailyUsageModel.h"
#include "models/ModelUsageModel.h"
#include "pages/UsagePage.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace modelrelay;

namespace {

struct Expected {
    int requests = 0;
    int errors = 0;
    qint64 input = 0;
    qint64 output = 0;
    int timed = 0;
    qint64 firstTokenSum = 0;
    qint64 generatingMs = 0;
    qint64 generated = 0;
    int samples = 0;
    double errorSum = 0;
    double biasSum = 0;
};

QList<RequestRecord> randomHistory(int count, quint32 seed) {
    QRandomGenerator random(seed);
    const QStringList models{"qwen2.5-coder:32b", "qwen2.5:7b", "gpt-oss:20b", "deepseek-r1:14b"};
    const QDateTime now = QDateTime::currentDateTime();
    QList<RequestRecord> records;
    for (int i = 0; i < count; ++i) {
        RequestRecord r;
        r.id = quint64(i + 1);
        // Within the last 6 days (the page's "Last 7 days" starts at midnight 6 days ago).
        r.startedAt = now.addSecs(-qint64(random.bounded(6 * 24 * 3600)));
        r.endpoint = random.bounded(10) == 0 ? "count_tokens" : "messages";
        r.clientModel = "claude-sonnet-4-5";
        r.backendModel = random.bounded(20) == 0 ? QString() : models.at(random.bounded(models.size()));
        r.backendName = "Ollama (local)";
        r.stream = random.bounded(2) == 1;
        const bool failed = random.bounded(8) == 0;
        r.status = failed ? (random.bounded(2) ? 502 : 200) : 200; // a stream can fail after a 200
        if (failed)
            r.error = "stream cut";
        r.estimatedInputTokens = random.bounded(2) ? int(random.bounded(1, 60000)) : 0;
        if (random.bounded(5) != 0)
            r.inputTokens = int(random.bounded(1, 60000));
        if (random.bounded(5) != 0)
            r.outputTokens = int(random.bounded(0, 4000));
        r.timeToFirstTokenMs = random.bounded(4) == 0 ? -1 : qint64(random.bounded(50, 5000));
        r.durationMs = qMax<qint64>(r.timeToFirstTokenMs, 0) + qint64(random.bounded(0, 60000));
        records.append(r);
    }
    return records;
}

} // namespace

class TestUsageUi : public QObject {
    Q_OBJECT
private slots:
    void numbersAreTheSumsOfTheStoredRows();
    void lastDayIsCountedByTheHour();
    void screenshots();
};

void TestUsageUi::numbersAreTheSumsOfTheStoredRows() {
    QTemporaryDir dir;
    HistoryStore store(dir.filePath("history.sqlite"), {});
    QTRY_VERIFY_WITH_TIMEOUT(store.isReady(), 10000);
    const QList<RequestRecord> records = randomHistory(800, 7);
    for (const RequestRecord &r : records)
        store.add(r);
    store.flush();
    UsagePage page(&store);
    QAbstractItemModelTester modelTester(page.perModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester dayTester(page.perDay(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.period()->setCurrentIndex(UsagePage::LastWeek);
    page.refresh();

    QHash<QString, Expected> perModel;
    QMap<std::pair<QDate, QString>, std::tuple<int, qint64, qint64>> perDay;
    QMap<QDate, int> requestsPerDay;
    QMap<QDate, int> errorsPerDay;
    Expected all;
    for (const RequestRecord &r : records) {
        if (r.endpoint != "messages")
            continue; // count_tokens calls are not model requests
        const QString model = r.backendModel.isEmpty() ? r.clientModel : r.backendModel;
        const bool failed = r.status >= 400 || !r.error.isEmpty();
        const qint64 in = r.inputTokens.value_or(0);
        const qint64 out = r.outputTokens.value_or(0);
        for (Expected *e : {&perModel[model], &all}) {
            ++e->requests;
            e->errors += failed;
            e->input += in;
            e->output += out;
        }
        Expected &e = perModel[model];
        if (!failed && r.timeToFirstTokenMs >= 0) {
            ++e.timed;
            e.firstTokenSum += r.timeToFirstTokenMs;
            if (out > 0 && r.durationMs > r.timeToFirstTokenMs) {
                e.generatingMs += r.durationMs - r.timeToFirstTokenMs;
                e.generated += out;
            }
        }
        if (r.estimatedInputTokens > 0 && in > 0) {
            ++e.samples;
            e.errorSum += std::abs(double(r.estimatedInputTokens - in) / in);
            e.biasSum += double(r.estimatedInputTokens - in) / in;
        }
        const QDate day = r.startedAt.toLocalTime().date();
        auto &[dayRequests, dayIn, dayOut] = perDay[{day, model}];
        ++dayRequests;
        dayIn += in;
        dayOut += out;
        ++requestsPerDay[day];
        errorsPerDay[day] += failed;
    }

    QCOMPARE(page.report().requests, all.requests);
    QVERIFY2(page.totals()->text().startsWith(QLocale().toString(all.requests) + " requests · " +
                                              QLocale().toString(all.errors) + " errors"),
             qPrintable(page.totals()->text()));
    QCOMPARE(page.perModel()->rowCount(), perModel.size());
    auto value = [&](int row, int column) {
        return page.perModel()->index(row, column).data(ModelUsageModel::ValueRole);
    };
    for (int row = 0; row < page.perModel()->rowCount(); ++row) {
        const QString model = value(row, ModelUsageModel::Model).toString();
        QVERIFY2(perModel.contains(model), qPrintable(model));
        const Expected &e = perModel.value(model);
        QCOMPARE(value(row, ModelUsageModel::Requests).toInt(), e.requests);
        QCOMPARE(value(row, ModelUsageModel::Errors).toInt(), e.errors);
        QCOMPARE(value(row, ModelUsageModel::Input).toLongLong(), e.input);
        QCOMPARE(value(row, ModelUsageModel::Output).toLongLong(), e.output);
        QCOMPARE(value(row, ModelUsageModel::FirstToken).toDouble(),
                 e.timed ? double(e.firstTokenSum) / e.timed : -1.0);
        QCOMPARE(value(row, ModelUsageModel::TokensPerSecond).toDouble(),
                 e.generatingMs ? e.generated * 1000.0 / e.generatingMs : -1.0);
        QVERIFY(std::abs(value(row, ModelUsageModel::EstimateError).toDouble() -
                         (e.samples ? e.errorSum / e.samples : -1)) < 1e-9);
    }
    QCOMPARE(page.perDay()->rowCount(), perDay.size());
    for (int row = 0; row < page.perDay()->rowCount(); ++row) {
        const QDate day =
            page.perDay()->index(row, DailyUsageModel::Day).data(DailyUsageModel::ValueRole).toDate();
        const QString model =
            page.perDay()->index(row, DailyUsageModel::Model).data(DailyUsageModel::ValueRole).toString();
        const auto [requests, in, out] = perDay.value({day, model});
        QCOMPARE(
            page.perDay()->index(row, DailyUsageModel::Requests).data(DailyUsageModel::ValueRole).toInt(),
            requests);
        QCOMPARE(
            page.perDay()->index(row, DailyUsageModel::Input).data(DailyUsageModel::ValueRole).toLongLong(),
            in);
        QCOMPARE(
            page.perDay()->index(row, DailyUsageModel::Output).data(DailyUsageModel::ValueRole).toLongLong(),
            out);
    }
    // The charts: each day's token bar is that day's tokens in + out; each request bar that day's count.
    QCOMPARE(page.tokensChart()->categories().size(), 7);
    QCOMPARE(page.requestsChart()->categories().size(), 7);
    const QDate first = QDate::currentDate().addDays(-6);
    for (int c = 0; c < 7; ++c) {
        const QDate day = first.addDays(c);
        qint64 tokens = 0;
        for (auto it = perDay.cbegin(); it != perDay.cend(); ++it)
            if (it.key().first == day)
                tokens += std::get<1>(it.value()) + std::get<2>(it.value());
        QCOMPARE(qint64(page.tokensChart()->total(c)), tokens);
        QCOMPARE(int(page.report().buckets.at(c).requests), requestsPerDay.value(day));
        QCOMPARE(int(page.report().buckets.at(c).errors), errorsPerDay.value(day));
    }
}

void TestUsageUi::lastDayIsCountedByTheHour() {
    QTemporaryDir dir;
    HistoryStore store(dir.filePath("history.sqlite"), {});
    QTRY_VERIFY_WITH_TIMEOUT(store.isReady(), 10000);
    const QDateTime now = QDateTime::currentDateTime();
    for (int hoursAgo : {0, 0, 1, 5, 30}) {
        RequestRecord r = randomHistory(1, quint32(hoursAgo + 1)).first();
        r.endpoint = "messages";
        r.startedAt = now.addSecs(-qint64(hoursAgo) * 3600);
        store.add(r);
    }
    store.flush();
    UsagePage page(&store);
    page.period()->setCurrentIndex(UsagePage::LastDay);
    QVERIFY(page.report().hourly);
    QCOMPARE(page.report().buckets.size(), 24);
    QCOMPARE(page.report().requests, 4); // 30 hours ago is outside
    QCOMPARE(page.report().buckets.last().requests, 2);
}

void TestUsageUi::screenshots() {
    QTemporaryDir dir;
    HistoryStore store(dir.filePath("history.sqlite"), {});
    QTRY_VERIFY_WITH_TIMEOUT(store.isReady(), 10000);
    for (const RequestRecord &r : randomHistory(600, 11))
        store.add(r);
    store.flush();
    UsagePage page(&store);
    test::shootAtUserSizes(&page, "usage-page");
}

QTEST_MAIN(TestUsageUi)
#include "tst_usage_ui.moc"
