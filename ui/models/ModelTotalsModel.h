// Totals per model (requests, errors, backend-reported tokens, and how far the input token estimate
// was from what the backend counted), fed by the same records as the request log.
#pragma once

#include "records/RequestRecord.h"

#include <QAbstractTableModel>
#include <QList>

namespace modelrelay {

class ModelTotalsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Model, Requests, Errors, Input, Output, EstimateError, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public slots:
    void add(const modelrelay::RequestRecord &record);
    void clear();

private:
    struct Totals {
        QString model;
        int requests = 0;
        int errors = 0;
        qint64 input = 0;
        qint64 output = 0;
        double estimateErrorSum = 0; // |estimate - reported| / reported, summed over the requests with both
        int estimateSamples = 0;
    };
    QList<Totals> m_rows;
};

} // namespace modelrelay
