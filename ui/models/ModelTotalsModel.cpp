#include "ModelTotalsModel.h"

#include <QLocale>
#include <cmath>

namespace modelrelay {

int ModelTotalsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelTotalsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelTotalsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::TextAlignmentRole && index.column() != Model)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const Totals &t = m_rows.at(index.row());
    switch (index.column()) {
    case Model:
        return t.model;
    case Requests:
        return t.requests;
    case Errors:
        return t.errors;
    case Input:
        return QLocale().toString(t.input);
    case Output:
        return QLocale().toString(t.output);
    case EstimateError:
        return t.estimateSamples > 0
                   ? tr("%1 %").arg(100.0 * t.estimateErrorSum / t.estimateSamples, 0, 'f', 1)
                   : QString();
    default:
        return {};
    }
}

QVariant ModelTotalsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == Input)
        return tr("As reported by the backend; estimated for answered requests it reported none for");
    if (role == Qt::ToolTipRole && section == EstimateError)
        return tr("How far ModelRelay's input token estimate (calibrated per model as answers come in) was "
                  "from the backend's count, on average");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Model:
        return tr("Model");
    case Requests:
        return tr("Requests");
    case Errors:
        return tr("Errors");
    case Input:
        return tr("Input tokens");
    case Output:
        return tr("Output tokens");
    case EstimateError:
        return tr("Estimate error");
    default:
        return {};
    }
}

void ModelTotalsModel::add(const RequestRecord &record) {
    if (record.endpoint != QLatin1String("messages"))
        return;
    const QString model = record.backendModel.isEmpty() ? record.clientModel : record.backendModel;
    int row = 0;
    while (row < m_rows.size() && m_rows.at(row).model != model)
        ++row;
    if (row == m_rows.size()) {
        beginInsertRows({}, row, row);
        m_rows.append(Totals{model, 0, 0, 0, 0});
        endInsertRows();
    }
    Totals &t = m_rows[row];
    ++t.requests;
    if (record.status >= 400 || !record.error.isEmpty())
        ++t.errors;
    // When the backend reports no usage, the estimate stands in, but only for answered requests.
    const bool answered = record.status < 400 && record.error.isEmpty();
    t.input += record.inputTokens.value_or(answered ? record.estimatedInputTokens : 0);
    t.output += record.outputTokens.value_or(0);
    if (record.inputTokens.value_or(0) > 0 && record.estimatedInputTokens > 0) {
        t.estimateErrorSum +=
            std::abs(record.estimatedInputTokens - *record.inputTokens) / double(*record.inputTokens);
        ++t.estimateSamples;
    }
    emit dataChanged(index(row, Requests), index(row, EstimateError));
}

void ModelTotalsModel::clear() {
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace modelrelay
