// What the proxy has learned per backend model, as a table: the token estimate's correction
// ratio and its samples, and the output limit a backend taught by refusing a request.
#pragma once

#include "server/LearnedModel.h"

#include <QAbstractTableModel>

namespace modelrelay {

class LearnedModelsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Model, Ratio, Samples, EstimateError, MaxOutputTokens, Context, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const LearnedModels &models() const { return m_models; }
    QString modelName(int row) const { return m_models.value(row).model; }

public slots:
    // The same models in the same order only change values (selections survive); else a reset.
    void setModels(const modelrelay::LearnedModels &models);

private:
    LearnedModels m_models;
};

} // namespace modelrelay
