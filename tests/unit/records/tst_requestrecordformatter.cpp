// RequestRecordFormatter: the headless log line for successful, failed and count_tokens requests.
#include "records/RequestRecordFormatter.h"

#include <QtTest>

using namespace modelrelay;

class TestRequestRecordFormatter : public QObject {
    Q_OBJECT
private slots:
    void line_data();
    void line();
    void noteLines();
    void longLinesAreCapped();
};

namespace {
RequestRecord streamedAnswer() {
    RequestRecord r;
    r.id = 12;
    r.startedAt = QDateTime(QDate(2026, 1, 5), QTime(5, 10, 0, 123)); // local time
    r.endpoint = "messages";
    r.clientModel = "claude-sonnet-4-5";
    r.backendModel = "qwen2.5-coder:32b";
    r.stream = true;
    r.status = 200;
    r.estimatedInputTokens = 18234;
    r.inputTokens = 18012;
    r.outputTokens = 312;
    r.timeToFirstTokenMs = 412;
    r.durationMs = 3210;
    r.stopReason = "end_turn";
    return r;
}
} // namespace

void TestRequestRecordFormatter::line_data() {
    QTest::addColumn<RequestRecord>("record");
    QTest::addColumn<QString>("expected");
    QTest::newRow("streamed answer")
        << streamedAnswer()
        << "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b stream 200 in~18234 in=18012 "
           "out=312 ttft=412ms 3.21s end_turn";

    RequestRecord failed = streamedAnswer();
    failed.status = 502;
    failed.inputTokens.reset();
    failed.outputTokens.reset();
    failed.timeToFirstTokenMs = -1;
    failed.estimatedInputTokens = 0;
    failed.durationMs = 3000;
    failed.stopReason.clear();
    failed.error = "cannot reach the backend at http://127.0.0.1:11434: Connection refused";
    QTest::newRow("backend error")
        << failed
        << "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b stream 502 3.00s error: cannot "
           "reach the backend at http://127.0.0.1:11434: Connection refused";

    // A client names its model what it likes: escape sequences a terminal would obey, a line
    // break that forges a log line, a bidirectional override, a megabyte.
    RequestRecord hostile = streamedAnswer();
    hostile.clientModel =
        QString::fromUtf8("claude-\x1b]0;owned\x07\x1b[2J\r\n05:10:00.000 #1 fake \u202e\u0085");
    hostile.backendModel.clear();
    hostile.stopReason.clear();
    QTest::newRow("control characters escaped")
        << hostile
        << "05:10:00.123 #12 messages claude-\\x1b]0;owned\\x07\\x1b[2J\\x0d\\x0a05:10:00.000 #1 fake "
           "\\u{202e}\\x85 stream 200 in~18234 in=18012 out=312 ttft=412ms 3.21s";

    RequestRecord json = streamedAnswer();
    json.stream = false;
    json.durationMs = 850;
    QTest::newRow("non-streamed, under a second")
        << json
        << "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b json 200 in~18234 in=18012 "
           "out=312 ttft=412ms 850ms end_turn";

    RequestRecord unmapped = failed;
    unmapped.backendModel.clear();
    unmapped.status = 404;
    unmapped.durationMs = 1;
    unmapped.error = "model 'claude-x' is not in the model map";
    QTest::newRow("no backend model")
        << unmapped
        << "05:10:00.123 #12 messages claude-sonnet-4-5 stream 404 1ms error: model 'claude-x' is not in the "
           "model map";

    RequestRecord count;
    count.id = 3;
    count.startedAt = QDateTime(QDate(2026, 1, 5), QTime(23, 59, 59, 9));
    count.endpoint = "count_tokens";
    count.clientModel = "claude-haiku-4-5";
    count.status = 200;
    count.estimatedInputTokens = 120;
    count.durationMs = 0;
    QTest::newRow("count_tokens") << count << "23:59:59.009 #3 count_tokens claude-haiku-4-5 200 in~120 0ms";

    RequestRecord routed = streamedAnswer();
    routed.route = "images";
    routed.backendName = "Cloud";
    routed.attempts = {BackendAttempt{"Vision box", "qwen2.5-vl", "cannot connect", 0},
                       BackendAttempt{"Cloud", "qwen-vl-max", "", 4}};
    QTest::newRow("routed, fell back") << routed
                                       << "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b "
                                          "route=images fell-back-to=\"Cloud\" "
                                          "stream 200 in~18234 in=18012 out=312 ttft=412ms 3.21s end_turn";

    // Issue #12: a backend that refused max_tokens got the request again, capped: a retry there,
    // not a fallback.
    RequestRecord capped = streamedAnswer();
    capped.attempts = {BackendAttempt{"Local", "qwen2.5-coder:32b", "refused max_tokens", 0},
                       BackendAttempt{"Local", "qwen2.5-coder:32b", "", 40}};
    QTest::newRow("sent again capped: a retry")
        << capped
        << "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b "
           "retried=1 stream 200 in~18234 in=18012 out=312 ttft=412ms "
           "3.21s end_turn";
    RequestRecord both = routed;
    both.attempts.prepend(BackendAttempt{"Vision box", "qwen2.5-vl", "refused max_tokens", 0});
    QTest::newRow("a retry, then a fallback")
        << both
        << "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b route=images "
           "fell-back-to=\"Cloud\" retried=1 stream 200 in~18234 in=18012 out=312 ttft=412ms 3.21s end_turn";

    RequestRecord utc = streamedAnswer();
    utc.startedAt = streamedAnswer().startedAt.toUTC();
    QTest::newRow("a UTC start is shown in local time")
        << utc
        << "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b stream 200 in~18234 in=18012 "
           "out=312 ttft=412ms 3.21s end_turn";
}

void TestRequestRecordFormatter::line() {
    QFETCH(RequestRecord, record);
    QFETCH(QString, expected);
    QCOMPARE(RequestRecordFormatter::line(record), expected);
}

void TestRequestRecordFormatter::noteLines() {
    RequestRecord r = streamedAnswer();
    QCOMPARE(RequestRecordFormatter::noteLines(r), QStringList{});
    r.notes = {"max_tokens 64000 capped to 8192", "dropped: thinking"};
    QCOMPARE(RequestRecordFormatter::noteLines(r),
             (QStringList{"    note: max_tokens 64000 capped to 8192", "    note: dropped: thinking"}));
}

void TestRequestRecordFormatter::longLinesAreCapped() {
    RequestRecord r = streamedAnswer();
    r.error = QString(1024 * 1024, u'x');
    const QString line = RequestRecordFormatter::line(r);
    QVERIFY(line.size() < 4100);
    QVERIFY2(line.endsWith(
                 QString("… (%1 more characters)").arg(r.error.size() + line.indexOf("error: ") + 7 - 4000)),
             qPrintable(line.right(60)));
}

QTEST_APPLESS_MAIN(TestRequestRecordFormatter)
#include "tst_requestrecordformatter.moc"
