#include "GuiMain.h"

#include "AppController.h"
#include "MainWindow.h"
#include "SingleInstance.h"
#include "TrayController.h"
#include "UiResources.h"
#include "config/KeychainSecretStore.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"

#include <QApplication>
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

    MainWindow window(controller, &log, &totals);
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
