// The live request log, the selected request's details, and totals per model.
#pragma once

#include <QWidget>

class QPlainTextEdit;
class QTableView;

namespace modelrelay {

class RequestLogModel;
class ModelTotalsModel;

class RequestsPage : public QWidget {
    Q_OBJECT
public:
    RequestsPage(RequestLogModel *log, ModelTotalsModel *totals, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }
    QPlainTextEdit *details() const { return m_details; }

private:
    void showDetails();

    RequestLogModel *m_log;
    QTableView *m_table;
    QPlainTextEdit *m_details;
};

} // namespace modelrelay
