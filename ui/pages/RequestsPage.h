// The live request log, the selected request's details, and totals per model.
#pragma once

#include <QList>
#include <QWidget>

class QPlainTextEdit;
class QTableView;
class QTabWidget;

namespace modelrelay {

class RequestLogModel;
class ModelTotalsModel;

class RequestsPage : public QWidget {
    Q_OBJECT
public:
    RequestsPage(RequestLogModel *log, ModelTotalsModel *totals, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }
    QPlainTextEdit *details() const { return m_details; }
    QTabWidget *bodies() const { return m_bodies; }
    QPlainTextEdit *bodyView(int index) const {
        return m_bodyViews.value(index);
    } // 0 client, 1 backend, 2 response

private:
    void showDetails();
    static QString readable(const QByteArray &body);

    RequestLogModel *m_log;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    QTabWidget *m_bodies = nullptr;
    QList<QPlainTextEdit *> m_bodyViews;
};

} // namespace modelrelay
