// Pictures of usage from the stored history: tokens per day by model, requests and errors over
// time, and per model the time to first token, tokens per second and the token estimate's error,
// with the exact numbers in tables underneath (they are sums of the stored rows).
#pragma once

#include "history/UsageReport.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;
class QTimer;

namespace modelrelay {

class BarChart;
class DailyUsageModel;
class HistoryStore;
class ModelUsageModel;

class UsagePage : public QWidget {
    Q_OBJECT
public:
    enum Period { LastDay, LastWeek, LastMonth, LastQuarter };

    explicit UsagePage(HistoryStore *store, QWidget *parent = nullptr);

    QComboBox *period() const { return m_period; }
    BarChart *tokensChart() const { return m_tokens; }
    BarChart *requestsChart() const { return m_requests; }
    ModelUsageModel *perModel() const { return m_perModel; }
    DailyUsageModel *perDay() const { return m_perDay; }
    QLabel *totals() const { return m_totals; }
    const UsageReport &report() const { return m_report; }

public slots:
    void refresh();

protected:
    void showEvent(QShowEvent *event) override;

private:
    HistoryStore *m_store;
    QComboBox *m_period;
    QLabel *m_totals;
    BarChart *m_tokens;
    BarChart *m_requests;
    ModelUsageModel *m_perModel;
    DailyUsageModel *m_perDay;
    QTimer *m_throttle;
    UsageReport m_report;
};

} // namespace modelrelay
