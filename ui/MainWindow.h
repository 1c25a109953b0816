// The "ModelRelay" window: request log, model map and backends, with the proxy's state on top.
#pragma once

#include <QMainWindow>

class QLabel;
class QPushButton;
class QTabWidget;

namespace modelrelay {

class AboutDialog;
class AppController;
class BackendsPage;
class ClaudeCodePage;
class ModelMapPage;
class ModelTotalsModel;
class RequestLogModel;
class RequestsPage;
class RoutingPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(AppController &app, RequestLogModel *log, ModelTotalsModel *totals, QWidget *parent = nullptr);

    QTabWidget *tabs() const { return m_tabs; }
    RequestsPage *requestsPage() const { return m_requests; }
    ModelMapPage *modelMapPage() const { return m_modelMap; }
    BackendsPage *backendsPage() const { return m_backends; }
    RoutingPage *routingPage() const { return m_routing; }
    ClaudeCodePage *claudeCodePage() const { return m_claudeCode; }
    QPushButton *toggleButton() const { return m_toggle; }
    AboutDialog *showAbout();
    // Pages that need more than the controller (the history's) are added by whoever owns what
    // they need.
    void addPage(QWidget *page, const QString &title);
    void bringToFront();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void refresh();

    AppController &m_app;
    QTabWidget *m_tabs;
    RequestsPage *m_requests;
    ModelMapPage *m_modelMap;
    BackendsPage *m_backends;
    RoutingPage *m_routing;
    ClaudeCodePage *m_claudeCode;
    QLabel *m_state;
    QLabel *m_statusAddress;
    QLabel *m_statusBackend;
    QLabel *m_statusError;
    QPushButton *m_toggle;
    QPushButton *m_copy;
};

} // namespace modelrelay
