#include "SelfTestRunner.h"

#include "ConsoleOutput.h"
#include "selftest/SelfTest.h"
#include "selftest/SelfTestReport.h"

#include <QCoreApplication>
#include <cstdio>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

int SelfTestRunner::run(const LoadedConfig &loaded) {
    QCoreApplication &app = *QCoreApplication::instance();
    const ProxyConfig &config = loaded.config;
    for (const QString &warning : loaded.warnings)
        printLine(stderr, u"warning: "_s + warning);

    SelfTest selfTest;
    QObject::connect(&selfTest, &SelfTest::started, &app, [&](const QString &model) {
        printLine(stdout, u"ModelRelay self-test: %1 %2, model %3"_s.arg(
                              backendKindName(config.backend.kind), config.backend.shownUrl(),
                              model.isEmpty() ? u"(none)"_s : model));
        printLine(stdout, SelfTestReport::header());
    });
    QObject::connect(&selfTest, &SelfTest::resultReady, &app,
                     [](const SelfTestResult &result) { printLine(stdout, SelfTestReport::row(result)); });
    QObject::connect(&selfTest, &SelfTest::finished, &app, [&](const QList<SelfTestResult> &results) {
        printLine(stdout, SelfTestReport::summary(results));
        app.exit(allRequiredPassed(results) ? 0 : 1);
    });
    selfTest.start(config);
    return app.exec();
}

} // namespace modelrelay
