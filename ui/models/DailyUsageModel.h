// The usage page's table of tokens in and out per model per day, newest day first.
#pragma once

#include "history/UsageReport.h"

#include <QAbstractTableModel>

namespace modelrelay {

class DailyUsageModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Day, Model, Requests, Input, Output, ColumnCount };
    enum Role { ValueRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setReport(const UsageReport &report);

private:
    QList<UsageReport::ModelDay> m_rows;
};

} // namespace modelrelay
