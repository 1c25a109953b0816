#include "DailyUsageModel.h"

#include <QLocale>
#include <algorithm>

namespace modelrelay {

int DailyUsageModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DailyUsageModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DailyUsageModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UsageReport::ModelDay &d = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() >= Requests)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const QLocale locale;
    if (role == ValueRole) {
        switch (index.column()) {
        case Day:
            return d.day;
        case Model:
            return d.model;
        case Requests:
            return d.requests;
        case Input:
            return d.inputTokens;
        case Output:
            return d.outputTokens;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Day:
        return locale.toString(d.day, QLocale::ShortFormat);
    case Model:
        return d.model;
    case Requests:
        return locale.toString(d.requests);
    case Input:
        return locale.toString(d.inputTokens);
    case Output:
        return locale.toString(d.outputTokens);
    default:
        return {};
    }
}

QVariant DailyUsageModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Day:
        return tr("Day");
    case Model:
        return tr("Model");
    case Requests:
        return tr("Requests");
    case Input:
        return tr("Input tokens");
    case Output:
        return tr("Output tokens");
    default:
        return {};
    }
}

void DailyUsageModel::setReport(const UsageReport &report) {
    beginResetModel();
    m_rows = report.modelDays;
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [](const auto &a, const auto &b) { return a.day > b.day; });
    endResetModel();
}

} // namespace modelrelay
