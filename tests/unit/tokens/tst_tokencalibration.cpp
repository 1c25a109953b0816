// Per-model correction of token estimates from the prompt tokens backends reported.
#include "tokens/TokenCalibration.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace modelrelay;

class TestTokenCalibration : public QObject {
    Q_OBJECT
private slots:
    void unknownModelKeepsTheEstimate();
    void convergesOnTheBackendsCount();
    void modelsAreSeparate();
    void outliersAreIgnored();
    void survivesARestart();
};

void TestTokenCalibration::unknownModelKeepsTheEstimate() {
    TokenCalibration calibration;
    QCOMPARE(calibration.calibrated("m", 1000), 1000);
    QVERIFY(!calibration.stats("m"));
}

void TestTokenCalibration::convergesOnTheBackendsCount() {
    TokenCalibration calibration;
    // This tokenizer needs 30 % more tokens than the estimate says.
    for (int i = 0; i < 30; ++i)
        calibration.observe("qwen", 1000 + i * 100, int((1000 + i * 100) * 1.3));
    QCOMPARE(calibration.calibrated("qwen", 2000), 2600);
    const auto stats = calibration.stats("qwen");
    QVERIFY(stats);
    QCOMPARE(stats->samples, 30);
    QVERIFY(qAbs(stats->ratio - 1.3) < 0.001);
    // The raw estimate was off by 0.3/1.3 of the actual count.
    QVERIFY2(qAbs(stats->meanAbsoluteError - 0.3 / 1.3) < 0.001,
             qPrintable(QString::number(stats->meanAbsoluteError)));
}

void TestTokenCalibration::modelsAreSeparate() {
    TokenCalibration calibration;
    calibration.observe("a", 1000, 1200);
    calibration.observe("b", 1000, 900);
    QCOMPARE(calibration.calibrated("a", 100), 120);
    QCOMPARE(calibration.calibrated("b", 100), 90);
}

void TestTokenCalibration::outliersAreIgnored() {
    TokenCalibration calibration;
    calibration.observe("m", 1000, 1100);
    calibration.observe("m", 20000, 150); // an Ollama prompt-cache hit: only the new tokens counted
    calibration.observe("m", 100, 0);
    calibration.observe("m", 0, 100);
    QCOMPARE(calibration.stats("m")->samples, 1);
    QCOMPARE(calibration.calibrated("m", 1000), 1100);
}

void TestTokenCalibration::survivesARestart() {
    QTemporaryDir dir;
    const QString file = dir.filePath("learned.ini");
    {
        TokenCalibration calibration(file);
        for (int i = 0; i < 14; ++i) // past the first saves, and some not yet saved at the end
            calibration.observe("library/qwen2.5-coder:32b", 1000, 1250);
    }
    TokenCalibration reloaded(file);
    QCOMPARE(reloaded.stats("library/qwen2.5-coder:32b")->samples, 14);
    QCOMPARE(reloaded.calibrated("library/qwen2.5-coder:32b", 1000), 1250);
}

QTEST_GUILESS_MAIN(TestTokenCalibration)
#include "tst_tokencalibration.moc"
