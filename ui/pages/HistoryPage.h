// The stored request history: search and filters (text in errors and notes, model, backend,
// outcome, time range), the table, the same details and exchange inspector as the live log, an
// export of what the filter shows, and how much history is kept (days, size).
#pragma once

#include "history/HistoryFilter.h"
#include "history/HistoryRetention.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace modelrelay {

class HistoryModel;
class HistoryStore;
class RequestInspector;

class HistoryPage : public QWidget {
    Q_OBJECT
public:
    enum Period { LastHour, LastDay, LastWeek, LastMonth, AllTime, CustomRange };

    explicit HistoryPage(HistoryStore *store, QWidget *parent = nullptr);

    HistoryModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *search() const { return m_search; }
    QComboBox *modelFilter() const { return m_modelFilter; }
    QComboBox *backendFilter() const { return m_backendFilter; }
    QComboBox *outcomeFilter() const { return m_outcome; }
    QComboBox *period() const { return m_period; }
    QDateTimeEdit *from() const { return m_from; }
    QDateTimeEdit *to() const { return m_to; }
    QPlainTextEdit *details() const { return m_details; }
    RequestInspector *inspector() const { return m_inspector; }
    QSpinBox *keepDays() const { return m_days; }
    QSpinBox *keepMegabytes() const { return m_megabytes; }
    QLabel *status() const { return m_status; }

    HistoryFilter filter() const; // as the controls say now
    // Writes what the filter shows as JSON Lines; false with *error when it could not.
    bool exportTo(const QString &path, QString *error) const;

public slots:
    void applyFilter();
    void exportWithDialog();
    void refreshChoices(); // the model and backend names found in the history
    void setRetention(const modelrelay::HistoryRetention &retention);

signals:
    void retentionChanged(const modelrelay::HistoryRetention &retention);

private:
    void showSelected();
    void refreshStatus();

    HistoryStore *m_store;
    HistoryModel *m_model;
    QLineEdit *m_search;
    QComboBox *m_modelFilter;
    QComboBox *m_backendFilter;
    QComboBox *m_outcome;
    QComboBox *m_period;
    QWidget *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QPushButton *m_export;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    RequestInspector *m_inspector;
    QSpinBox *m_days;
    QSpinBox *m_megabytes;
    QLabel *m_status;
    QTimer *m_typing;
};

} // namespace modelrelay
