// Per-model correction of token estimates from the prompt tokens backends reported.
#include "tokens/TokenCalibration.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;

class TestTokenCalibration : public QObject {
    Q_OBJECT
private slots:
    void unknownModelKeepsTheEstimate();
    void convergesOnTheBackendsCount();
    void aSmallRequestCannotSkewTheNextLargeOne();
    void movesAwayFromOneOnlyWithEvidence();
    void modelsAreSeparate();
    void outliersAreIgnored();
    void survivesARestart();
    void aRatioFromBeforeWeightingIsTrustedLess();
};

void TestTokenCalibration::unknownModelKeepsTheEstimate() {
    TokenCalibration calibration;
    QCOMPARE(calibration.calibrated("m", 1000), 1000);
    QVERIFY(!calibration.stats("m"));
}

void TestTokenCalibration::convergesOnTheBackendsCount() {
    TokenCalibration calibration;
    // This tokenizer needs 30 % more tokens than the estimate says; Claude Code-sized prompts.
    for (int i = 0; i < 30; ++i)
        calibration.observe("qwen", 10000 + i * 1000, int((10000 + i * 1000) * 1.3));
    const auto stats = calibration.stats("qwen");
    QVERIFY(stats);
    QCOMPARE(stats->samples, 30);
    QVERIFY2(qAbs(stats->ratio - 1.3) < 0.01, qPrintable(QString::number(stats->ratio)));
    QVERIFY(qAbs(calibration.calibrated("qwen", 20000) - 26000) < 200);
    // The raw estimate was off by 0.3/1.3 of the actual count.
    QVERIFY2(qAbs(stats->meanAbsoluteError - 0.3 / 1.3) < 0.001,
             qPrintable(QString::number(stats->meanAbsoluteError)));
}

// Issue #12: `/model`'s tiny check request counted 2.17 times its estimate (the chat template's
// fixed overhead), and the next 15k-token turn was estimated at 38k with a false "does not fit the
// 32768-token context" warning.
void TestTokenCalibration::aSmallRequestCannotSkewTheNextLargeOne() {
    TokenCalibration calibration;
    calibration.observe("coder", 300, 651);
    QVERIFY(!calibration.stats("coder")); // not a sample at all
    QCOMPARE(calibration.calibrated("coder", 15000), 15000);
    calibration.observe("coder", 1500, 3255); // small, but counted: it moves the ratio little
    const int estimate = calibration.calibrated("coder", 15000);
    QVERIFY2(estimate < 15000 * 1.2, qPrintable(QString::number(estimate)));
    QVERIFY(estimate < 32768);
}

void TestTokenCalibration::movesAwayFromOneOnlyWithEvidence() {
    TokenCalibration calibration;
    calibration.observe("m", 15000, 16500); // 1.1
    const double afterOne = calibration.stats("m")->ratio;
    QVERIFY2(afterOne > 1.0 && afterOne < 1.07, qPrintable(QString::number(afterOne)));
    for (int i = 0; i < 4; ++i)
        calibration.observe("m", 15000, 16500);
    const double afterFive = calibration.stats("m")->ratio;
    QVERIFY2(afterFive > afterOne && qAbs(afterFive - 1.1) < 0.015, qPrintable(QString::number(afterFive)));
}

void TestTokenCalibration::modelsAreSeparate() {
    TokenCalibration calibration;
    for (int i = 0; i < 10; ++i) {
        calibration.observe("a", 20000, 24000);
        calibration.observe("b", 20000, 18000);
    }
    QVERIFY(qAbs(calibration.calibrated("a", 1000) - 1200) <= 15);
    QVERIFY(qAbs(calibration.calibrated("b", 1000) - 900) <= 15);
}

void TestTokenCalibration::outliersAreIgnored() {
    TokenCalibration calibration;
    calibration.observe("m", 10000, 11000);
    calibration.observe("m", 20000, 150); // an Ollama prompt-cache hit: only the new tokens counted
    calibration.observe("m", 10000, 0);
    calibration.observe("m", 0, 10000);
    QCOMPARE(calibration.stats("m")->samples, 1);
    QCOMPARE(calibration.stats("m")->estimatedTokens, 10000.0);
}

void TestTokenCalibration::survivesARestart() {
    QTemporaryDir dir;
    const QString file = dir.filePath("learned.ini");
    int before = 0;
    {
        TokenCalibration calibration(file);
        for (int i = 0; i < 14; ++i) // past the first saves, and some not yet saved at the end
            calibration.observe("library/qwen2.5-coder:32b", 20000, 25000);
        before = calibration.calibrated("library/qwen2.5-coder:32b", 1000);
    }
    TokenCalibration reloaded(file);
    QCOMPARE(reloaded.stats("library/qwen2.5-coder:32b")->samples, 14);
    QCOMPARE(reloaded.calibrated("library/qwen2.5-coder:32b", 1000), before);
    QVERIFY(before > 1230);
}

void TestTokenCalibration::aRatioFromBeforeWeightingIsTrustedLess() {
    QTemporaryDir dir;
    const QString file = dir.filePath("learned.ini");
    {
        QSettings old(file, QSettings::IniFormat);
        old.setValue("models/coder/samples", 1);
        old.setValue("models/coder/ratio", 2.17);
        old.setValue("models/coder/meanAbsoluteError", 0.5);
    }
    TokenCalibration calibration(file);
    QCOMPARE(calibration.stats("coder")->samples, 1);
    QVERIFY(qAbs(calibration.stats("coder")->ratio - (1 + 2.17) / 2) < 0.001); // worth one prior
}

QTEST_GUILESS_MAIN(TestTokenCalibration)
#include "tst_tokencalibration.moc"
