#include "TrayController.h"

#include "LoginItemAction.h"
#include "UiResources.h"

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QSystemTrayIcon>

namespace modelrelay {

TrayController::TrayController(AppController &app, QObject *parent)
    : QObject(parent)
    , m_app(app)
    , m_menu(new QMenu)
    , m_tray(new QSystemTrayIcon(this)) {
    m_status = m_menu->addAction(QString());
    m_status->setEnabled(false);
    m_toggle = m_menu->addAction(QString(), &m_app, &AppController::toggle);
    m_menu->addSeparator();
    m_backends = m_menu->addMenu(tr("Backend"));
    m_backendGroup = new QActionGroup(this);
    m_backendGroup->setExclusive(true);
    m_menu->addSeparator();
    m_menu->addAction(tr("Open ModelRelay…"), this, &TrayController::openWindowRequested);
    m_copySetup = m_menu->addAction(tr("Copy Claude Code setup"), this, [this] {
        QApplication::clipboard()->setText(m_app.claudeCodeSetupLine());
        if (m_tray->isVisible())
            m_tray->showMessage(tr("ModelRelay"), tr("Paste it into the terminal where you run claude."),
                                QSystemTrayIcon::Information, 3000);
    });
    m_menu->addSeparator();
    m_startAtLogin = new LoginItemAction(m_menu);
    m_menu->addAction(tr("Quit ModelRelay"), this, &TrayController::quitRequested);
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit openWindowRequested();
    });
    connect(&m_app, &AppController::stateChanged, this, &TrayController::refresh);
    connect(&m_app, &AppController::profilesChanged, this, &TrayController::rebuildBackends);
    connect(&m_app, &AppController::configChanged, this, &TrayController::refresh);
    connect(&m_app, &AppController::errorOccurred, this, [this](const QString &message) {
        // Claude Code retries a failing request about ten times: one balloon per problem is enough.
        if (!m_tray->isVisible() ||
            (message == m_lastNotice && m_noticeClock.isValid() && m_noticeClock.elapsed() < 60000))
            return;
        m_lastNotice = message;
        m_noticeClock.start();
        m_tray->showMessage(tr("ModelRelay"), message, QSystemTrayIcon::Warning, 6000);
    });
    rebuildBackends();
    refresh();
}

TrayController::~TrayController() {
    delete m_menu;
}

bool TrayController::show() {
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return false;
    m_tray->show();
    return true;
}

QIcon TrayController::iconFor(AppController::State state) {
    UiResources::ensureLoaded();
    switch (state) {
    case AppController::State::Running:
        return QIcon(QStringLiteral(":/icons/tray-running.svg"));
    case AppController::State::Failed:
        return QIcon(QStringLiteral(":/icons/tray-error.svg"));
    case AppController::State::Starting:
    case AppController::State::Stopped:
        break;
    }
    return QIcon(QStringLiteral(":/icons/tray-stopped.svg"));
}

QList<QAction *> TrayController::backendActions() const {
    return m_backendGroup->actions();
}

void TrayController::refresh() {
    const AppController::State state = m_app.state();
    m_tray->setIcon(iconFor(state));
    m_toggle->setText(toggleText(state));
    m_copySetup->setEnabled(state == AppController::State::Running);
    QString status;
    switch (state) {
    case AppController::State::Running:
        status = tr("Running on %1").arg(m_app.address());
        break;
    case AppController::State::Starting:
        status = tr("Starting…");
        break;
    case AppController::State::Stopped:
        status = tr("Stopped");
        break;
    case AppController::State::Failed:
        status = tr("Not running: %1").arg(m_app.lastError());
        break;
    }
    m_status->setText(status.size() > 80 ? status.left(79) + QChar(0x2026) : status);
    m_tray->setToolTip(tr("ModelRelay — %1").arg(status));
}

QString TrayController::toggleText(AppController::State state) const {
    switch (state) {
    case AppController::State::Running:
        return tr("Stop proxy on %1").arg(m_app.address());
    case AppController::State::Starting:
        return tr("Stop proxy (starting…)");
    case AppController::State::Stopped:
    case AppController::State::Failed:
        break;
    }
    const ProxyConfig &config = m_app.config();
    return config.port == 0 ? tr("Start proxy on %1, any free port").arg(config.host)
                            : tr("Start proxy on http://%1:%2").arg(config.host).arg(config.port);
}

void TrayController::rebuildBackends() {
    for (QAction *action : m_backendGroup->actions()) {
        m_backendGroup->removeAction(action);
        delete action;
    }
    const QList<BackendProfile> profiles = m_app.profiles();
    m_backends->setTitle(tr("Backend: %1").arg(m_app.config().backend.name));
    for (int i = 0; i < profiles.size(); ++i) {
        QAction *action = m_backends->addAction(profiles.at(i).name);
        action->setCheckable(true);
        action->setChecked(i == m_app.activeProfile());
        m_backendGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, i] { m_app.setActiveProfile(i); });
    }
}

} // namespace modelrelay
