// The usage page's table per model: requests, errors, tokens in and out, mean time to first token,
// generation speed and the token estimate's error, for the period shown.
#pragma once

#include "history/UsageReport.h"

#include <QAbstractTableModel>

namespace modelrelay {

class ModelUsageModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Model,
        Requests,
        Errors,
        Input,
        Output,
        FirstToken,
        TokensPerSecond,
        EstimateError,
        ColumnCount
    };
    enum Role { ValueRole = Qt::UserRole + 1 }; // the number behind a cell, unformatted

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setReport(const UsageReport &report);

private:
    QList<UsageReport::Model> m_rows;
};

} // namespace modelrelay
