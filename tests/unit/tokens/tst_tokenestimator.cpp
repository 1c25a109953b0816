#include "anthropic/RequestParser.h"
#include "tokens/TokenEstimator.h"

#include <QtTest>

using namespace modelrelay;

class TestTokenEstimator : public QObject {
    Q_OBJECT
private slots:
    void text_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("low");
        QTest::addColumn<int>("high");
        QTest::newRow("empty") << "" << 0 << 0;
        QTest::newRow("hello world") << "hello world" << 2 << 3;
        QTest::newRow("sentence") << "The quick brown fox jumps over the lazy dog." << 9 << 14;
        QTest::newRow("code") << "for (int i = 0; i < n; ++i) { total += values[i]; }" << 20 << 34;
        QTest::newRow("json") << R"({"type":"object","properties":{"file_path":{"type":"string"}}})" << 20
                              << 40;
        QTest::newRow("cjk") << "日本語のテキスト" << 6 << 10;
        QTest::newRow("digits") << "1234567890" << 3 << 5;
    }
    void text() {
        QFETCH(QString, text);
        QFETCH(int, low);
        QFETCH(int, high);
        const int n = TokenEstimator::estimateText(text);
        QVERIFY2(n >= low && n <= high, qPrintable(QString("%1 tokens for '%2'").arg(n).arg(text)));
    }
    void englishProse() {
        QString paragraph;
        for (int i = 0; i < 100; ++i)
            paragraph += "Claude Code sends long prompts with detailed instructions about tools and files. ";
        const int words = int(paragraph.split(' ', Qt::SkipEmptyParts).size());
        const int n = TokenEstimator::estimateText(paragraph);
        QVERIFY2(n > words * 1.0 && n < words * 1.6,
                 qPrintable(QString("%1 tokens for %2 words").arg(n).arg(words)));
    }
    void everyPartCounts() {
        const auto base = std::get<MessageRequest>(RequestParser::parse(
            R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]})", ParseOptions{}));
        const int baseline = TokenEstimator::estimate(base);
        const QList<QByteArray> richer = {
            R"({"model":"m","max_tokens":5,"system":"You are helpful.","messages":[{"role":"user","content":"hi"}]})",
            R"({"model":"m","max_tokens":5,"tools":[{"name":"Read","description":"Read a file","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"hi"}]})",
            R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]})",
            R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"let me see","signature":"s"},{"type":"tool_use","id":"t","name":"Read","input":{"file_path":"/a"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"file text here"}]}]})",
        };
        for (const QByteArray &body : richer) {
            const auto request = std::get<MessageRequest>(RequestParser::parse(body, ParseOptions{}));
            QVERIFY2(TokenEstimator::estimate(request) > baseline, body.constData());
        }
    }
    void recordedFirstTurnIsPlausible() {
        QFile file(QStringLiteral(MODELRELAY_FIXTURES_DIR "/claude-code/v2.1.197-first-turn.request.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto request = std::get<MessageRequest>(RequestParser::parse(file.readAll(), ParseOptions{}));
        const int n = TokenEstimator::estimate(request);
        QVERIFY2(n > 15000 && n < 25000, qPrintable(QString::number(n)));
    }
};

QTEST_APPLESS_MAIN(TestTokenEstimator)
#include "tst_tokenestimator.moc"
