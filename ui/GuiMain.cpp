#include "GuiMain.h"

#include "AppController.h"
#include "MainWindow.h"
#include "SingleInstance.h"
#include "TrayController.h"
#include "UiResources.h"
#include "config/KeychainSecretStore.h"
#include "history/HistoryStore.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"
#include "pages/HistoryPage.h"
#include "pages/UsagePage.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStatusBar>
#include <cstdio>

namespace modelrelay {

int runGui(const LoadedConfig &loaded) {
    QApplication &app = *qApp;
    UiResources::ensureLoaded();
    QApplication::setApplicationName(QStringLiteral("ModelRelay"));
    QApplication::setOrganizationName(QStringLiteral("ModelRelay"));
    QApplication::setApplicationVersion(QStringLiteral(MODELRELAY_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.modelrelay.ModelRelay"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/modelrelay.svg")));
    QApplication::setQuitOnLastWindowClosed(false);

    SingleInstance instance(
        qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME", QStringLiteral("user"))) +
        (loaded.launch.settingsPath.isEmpty() ? QString() : QStringLiteral("-custom")));
    if (!instance.claim()) {
        std::fputs("ModelRelay is already running: its window was brought up.\n", stdout);
        return 0;
    }

    AppController controller(SettingsStore::open(loaded.launch.settingsPath, systemSecretStore()),
                             loaded.config);
    RequestLogModel log;
    ModelTotalsModel totals;
    QObject::connect(&controller, &AppController::requestFinished, &log, &RequestLogModel::add);
    QObject::connect(&controller, &AppController::requestFinished, &totals, &ModelTotalsModel::add);

    // The history lives with the application's data, or next to a settings file given with --settings.
    const QString historyPath =
        loaded.launch.settingsPath.isEmpty()
            ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
                  .filePath(QStringLiteral("history.sqlite"))
            : QFileInfo(loaded.launch.settingsPath).dir().filePath(QStringLiteral("history.sqlite"));
    HistoryStore history(historyPath, controller.historyRetention());
    QObject::connect(&controller, &AppController::requestFinished, &history, &HistoryStore::add);

    MainWindow window(controller, &log, &totals);
    auto *historyPage = new HistoryPage(&history);
    QObject::connect(historyPage, &HistoryPage::retentionChanged, &controller,
                     &AppController::setHistoryRetention);
    window.addPage(historyPage, QObject::tr("History"));
    window.addPage(new UsagePage(&history), QObject::tr("Usage"));
    QObject::connect(
        &history, &HistoryStore::movedAside, &window, [&window](const QString &aside, const QString &reason) {
            window.statusBar()->showMessage(
                QObject::tr("The request history was damaged (%1); it was kept as %2 and a new one started.")
                    .arg(reason, QDir::toNativeSeparators(aside)),
                30000);
        });
    QObject::connect(&history, &HistoryStore::unavailable, &window, [&window](const QString &problem) {
        window.statusBar()->showMessage(QObject::tr("No request history: %1").arg(problem), 30000);
    });
    TrayController tray(controller);
    QObject::connect(&tray, &TrayController::openWindowRequested, &window, &MainWindow::bringToFront);
    QObject::connect(&tray, &TrayController::quitRequested, &app, &QApplication::quit);
    QObject::connect(&instance, &SingleInstance::showRequested, &window, &MainWindow::bringToFront);

    // Without a tray (some Linux desktops) the window is the application.
    const bool hasTray = tray.show();
    if (!hasTray) {
        QApplication::setQuitOnLastWindowClosed(true);
        window.bringToFront();
    } else if (loaded.launch.showWindow) {
        window.bringToFront();
    }
    for (const QString &warning : loaded.warnings)
        window.statusBar()->showMessage(warning, 15000);
    QObject::connect(&controller, &AppController::warningOccurred, &window,
                     [&window](const QString &warning) { window.statusBar()->showMessage(warning, 15000); });
    controller.start();
    return app.exec();
}

} // namespace modelrelay
