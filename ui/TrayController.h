// The tray icon and its menu: proxy on/off, backend choice, window, setup line, start at login,
// quit. The icon shows the proxy's state.
#pragma once

#include "AppController.h"

#include <QElapsedTimer>
#include <QIcon>
#include <QObject>

class QAction;
class QActionGroup;
class QMenu;
class QSystemTrayIcon;

namespace modelrelay {

class TrayController : public QObject {
    Q_OBJECT
public:
    explicit TrayController(AppController &app, QObject *parent = nullptr);
    ~TrayController() override;

    bool show(); // false when the desktop has no system tray
    QMenu *menu() const { return m_menu; }
    QAction *toggleAction() const { return m_toggle; }
    QAction *copySetupAction() const { return m_copySetup; }
    QAction *startAtLoginAction() const { return m_startAtLogin; }
    QList<QAction *> backendActions() const;
    static QIcon iconFor(AppController::State state);

signals:
    void openWindowRequested();
    void quitRequested();

private:
    void refresh();
    void rebuildBackends();
    QString toggleText(AppController::State state) const;

    AppController &m_app;
    QMenu *m_menu;
    QSystemTrayIcon *m_tray;
    QAction *m_status;
    QAction *m_toggle;
    QMenu *m_backends;
    QActionGroup *m_backendGroup;
    QAction *m_copySetup;
    QAction *m_startAtLogin;
    QString m_lastNotice;
    QElapsedTimer m_noticeClock;
};

} // namespace modelrelay
