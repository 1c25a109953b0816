// The model map's rules as an editable table: Claude model or glob, backend model, max output
// tokens, context size. Rows can be added, removed and moved; order is match order.
#pragma once

#include "config/ModelMap.h"

#include <QAbstractTableModel>

namespace modelrelay {

class ModelMapModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Pattern, BackendModel, MaxTokens, Context, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                  const QModelIndex &destinationParent, int destinationChild) override;

    void setRules(const QList<ModelRule> &rules);
    QList<ModelRule> rules() const { return m_rules; }
    int appendRule(const ModelRule &rule); // returns its row

    // Empty when every rule is usable; else one sentence about the first problem.
    QString validationError() const;

signals:
    void rulesChanged();

private:
    QList<ModelRule> m_rules;
};

} // namespace modelrelay
