// The live request log, the selected request's details, and totals per model.
#pragma once

#include <QWidget>

class QPlainTextEdit;
class QTableView;
class QTabWidget;

namespace modelrelay {

class RequestInspector;
class RequestLogModel;
class ModelTotalsModel;

class RequestsPage : public QWidget {
    Q_OBJECT
public:
    RequestsPage(RequestLogModel *log, ModelTotalsModel *totals, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }
    QPlainTextEdit *details() const { return m_details; }
    QTabWidget *bodies() const { return m_bodies; } // "Summary" and "Exchange" tabs
    RequestInspector *inspector() const { return m_inspector; }
    // The inspector's panes: 0 client request, 1 sent to backend, 2 what the client received.
    QPlainTextEdit *bodyView(int index) const;
    // Widths for the request columns that fit large values (the history's table uses them too).
    static void sizeColumns(QTableView *table, const QString &timeSample);

private:
    void showDetails();

    RequestLogModel *m_log;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    QTabWidget *m_bodies = nullptr;
    RequestInspector *m_inspector = nullptr;
};

} // namespace modelrelay
