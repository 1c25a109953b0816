#include "ModelMapModel.h"

namespace modelrelay {

int ModelMapModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rules.size());
}

int ModelMapModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelMapModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelRule &rule = m_rules.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Pattern:
            return rule.pattern;
        case BackendModel:
            return rule.backendModel;
        case MaxTokens:
            return role == Qt::EditRole ? QVariant(rule.maxOutputTokens)
                                        : (rule.maxOutputTokens > 0 ? QVariant(rule.maxOutputTokens)
                                                                    : QVariant(tr("default")));
        case Context:
            return role == Qt::EditRole
                       ? QVariant(rule.contextSize)
                       : (rule.contextSize > 0 ? QVariant(rule.contextSize) : QVariant(tr("default")));
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Pattern)
        return tr("An exact Claude model name, or a glob: * matches anything, ? one character");
    return {};
}

QVariant ModelMapModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case Pattern:
        return tr("Claude model or glob");
    case BackendModel:
        return tr("Backend model");
    case MaxTokens:
        return tr("Max output tokens");
    case Context:
        return tr("Context (Ollama)");
    default:
        return {};
    }
}

bool ModelMapModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    ModelRule &rule = m_rules[index.row()];
    switch (index.column()) {
    case Pattern:
        rule.pattern = value.toString().trimmed();
        break;
    case BackendModel:
        rule.backendModel = value.toString().trimmed();
        break;
    case MaxTokens:
        rule.maxOutputTokens = qMax(0, value.toInt());
        break;
    case Context:
        rule.contextSize = qMax(0, value.toInt());
        break;
    default:
        return false;
    }
    emit dataChanged(index, index);
    emit rulesChanged();
    return true;
}

Qt::ItemFlags ModelMapModel::flags(const QModelIndex &index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

bool ModelMapModel::removeRows(int row, int count, const QModelIndex &parent) {
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_rules.size())
        return false;
    beginRemoveRows(parent, row, row + count - 1);
    m_rules.remove(row, count);
    endRemoveRows();
    emit rulesChanged();
    return true;
}

bool ModelMapModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                             const QModelIndex &destinationParent, int destinationChild) {
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0 ||
        sourceRow >= m_rules.size() || destinationChild < 0 || destinationChild > m_rules.size() ||
        destinationChild == sourceRow || destinationChild == sourceRow + 1)
        return false;
    if (!beginMoveRows(sourceParent, sourceRow, sourceRow, destinationParent, destinationChild))
        return false;
    const int target = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
    m_rules.move(sourceRow, target);
    endMoveRows();
    emit rulesChanged();
    return true;
}

void ModelMapModel::setRules(const QList<ModelRule> &rules) {
    beginResetModel();
    m_rules = rules;
    endResetModel();
}

int ModelMapModel::appendRule(const ModelRule &rule) {
    const int row = int(m_rules.size());
    beginInsertRows({}, row, row);
    m_rules.append(rule);
    endInsertRows();
    emit rulesChanged();
    return row;
}

QString ModelMapModel::validationError() const {
    for (int i = 0; i < m_rules.size(); ++i) {
        const ModelRule &rule = m_rules.at(i);
        if (rule.pattern.isEmpty())
            return tr("Rule %1 has no Claude model name or glob.").arg(i + 1);
        if (rule.backendModel.isEmpty())
            return tr("Rule %1 (%2) has no backend model.").arg(i + 1).arg(rule.pattern);
        for (int j = 0; j < i; ++j) {
            if (m_rules.at(j).pattern == rule.pattern)
                return tr("Rule %1 repeats \"%2\" from rule %3 and will never match.")
                    .arg(i + 1)
                    .arg(rule.pattern)
                    .arg(j + 1);
        }
    }
    return {};
}

} // namespace modelrelay
