#include "MainWindow.h"

#include "AboutDialog.h"
#include "AppController.h"
#include "LoginItemAction.h"
#include "TrayController.h"
#include "UiResources.h"
#include "pages/BackendsPage.h"
#include "pages/ClaudeCodePage.h"
#include "pages/ModelMapPage.h"
#include "pages/RequestsPage.h"
#include "pages/RoutingPage.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QVBoxLayout>

namespace modelrelay {

MainWindow::MainWindow(AppController &app, RequestLogModel *log, ModelTotalsModel *totals, QWidget *parent)
    : QMainWindow(parent)
    , m_app(app)
    , m_tabs(new QTabWidget)
    , m_requests(new RequestsPage(log, totals))
    , m_modelMap(new ModelMapPage(app))
    , m_backends(new BackendsPage(app))
    , m_routing(new RoutingPage(app))
    , m_claudeCode(new ClaudeCodePage(
          app, ClaudeSettingsFile::defaultPath(),
          QFileInfo(app.settingsLocation()).dir().filePath(QStringLiteral("claude-code-terminal.json"))))
    , m_state(new QLabel)
    , m_statusAddress(new QLabel)
    , m_statusBackend(new QLabel)
    , m_statusError(new QLabel)
    , m_toggle(new QPushButton)
    , m_copy(new QPushButton(tr("Copy Claude Code setup"))) {
    UiResources::ensureLoaded();
    setWindowTitle(tr("ModelRelay"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/modelrelay.svg")));
    resize(1040, 680);

    m_tabs->addTab(m_requests, tr("Requests"));
    m_tabs->addTab(m_modelMap, tr("Model map"));
    m_tabs->addTab(m_backends, tr("Backends"));
    m_tabs->addTab(m_routing, tr("Routing"));
    m_tabs->addTab(m_claudeCode, tr("Claude Code"));
    connect(m_backends, &BackendsPage::modelsListed, m_modelMap, &ModelMapPage::setBackendModels);
    connect(m_backends, &BackendsPage::modelsListed, m_routing, &RoutingPage::setBackendModels);

    auto *header = new QHBoxLayout;
    m_state->setTextFormat(Qt::RichText);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->addWidget(m_state, 1);
    header->addWidget(m_copy);
    header->addWidget(m_toggle);
    connect(m_toggle, &QPushButton::clicked, &m_app, &AppController::toggle);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_app.claudeCodeSetupLine());
        statusBar()->showMessage(tr("Copied: paste it into the terminal where you run claude."), 4000);
    });

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addLayout(header);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_statusError->setStyleSheet(QStringLiteral("color:#c0392b"));
    auto *separator = new QFrame;
    separator->setFrameShape(QFrame::VLine);
    separator->setFrameShadow(QFrame::Sunken);
    statusBar()->addWidget(m_statusAddress);
    statusBar()->addWidget(separator);
    statusBar()->addWidget(m_statusBackend);
    statusBar()->addPermanentWidget(m_statusError, 1);

    QMenu *file = menuBar()->addMenu(tr("&ModelRelay"));
    file->addAction(tr("Start / stop proxy"), &m_app, &AppController::toggle);
    file->addAction(tr("Copy Claude Code setup"), m_copy, &QPushButton::click);
    new LoginItemAction(file);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ModelRelay"), this, &MainWindow::showAbout);

    connect(&m_app, &AppController::stateChanged, this, &MainWindow::refresh);
    connect(&m_app, &AppController::configChanged, this, &MainWindow::refresh);
    connect(&m_app, &AppController::errorOccurred, this, &MainWindow::refresh);
    refresh();
}

void MainWindow::refresh() {
    const ProxyConfig &config = m_app.config();
    const auto state = m_app.state();
    setWindowIcon(state == AppController::State::Running ? QIcon(QStringLiteral(":/icons/modelrelay.svg"))
                                                         : TrayController::iconFor(state));
    QString headline;
    switch (state) {
    case AppController::State::Running:
        headline = tr("<b style='color:#2e7d32'>●</b> Proxy running on <b>%1</b>").arg(m_app.address());
        break;
    case AppController::State::Starting:
        headline = tr("<b style='color:#8a8f98'>●</b> Starting…");
        break;
    case AppController::State::Stopped:
        headline = tr("<b style='color:#8a8f98'>●</b> Proxy stopped");
        break;
    case AppController::State::Failed:
        headline =
            tr("<b style='color:#c0392b'>●</b> Proxy not running: %1").arg(m_app.lastError().toHtmlEscaped());
        break;
    }
    m_state->setText(headline);
    const bool on = state == AppController::State::Running || state == AppController::State::Starting;
    m_toggle->setText(on ? tr("Stop proxy") : tr("Start proxy"));
    m_copy->setEnabled(state == AppController::State::Running);
    m_statusAddress->setText(state == AppController::State::Running
                                 ? tr("Listening on %1").arg(m_app.address())
                                 : tr("Not listening (port %1)").arg(config.port));
    m_statusBackend->setText(tr("Backend: %1 — %2").arg(config.backend.name, config.backend.shownUrl()));
    m_statusError->setText(m_app.lastError().isEmpty() ? QString()
                                                       : tr("Last error: %1").arg(m_app.lastError()));
    m_statusError->setToolTip(m_app.lastError());
}

void MainWindow::addPage(QWidget *page, const QString &title) {
    m_tabs->addTab(page, title);
}

AboutDialog *MainWindow::showAbout() {
    auto *about = new AboutDialog(m_app.settingsLocation(), this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->show();
    return about;
}

void MainWindow::bringToFront() {
    show();
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    raise();
    activateWindow();
}

void MainWindow::closeEvent(QCloseEvent *event) {
    // With a tray icon the window only hides: the proxy keeps serving Claude Code.
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace modelrelay
