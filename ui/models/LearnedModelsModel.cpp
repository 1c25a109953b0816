#include "LearnedModelsModel.h"

#include <QLocale>

namespace modelrelay {

int LearnedModelsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_models.size());
}

int LearnedModelsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LearnedModelsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::TextAlignmentRole && index.column() != Model)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const LearnedModel &m = m_models.at(index.row());
    const bool calibrated = m.samples > 0;
    if (role == Qt::ToolTipRole) {
        if (index.column() == Ratio && calibrated)
            return tr("The backend counted %1 % of ModelRelay's estimate; later estimates for %2 are "
                      "multiplied by %3")
                .arg(100.0 * m.ratio, 0, 'f', 0)
                .arg(m.model)
                .arg(m.ratio, 0, 'f', 2);
        if (index.column() == MaxOutputTokens && m.maxOutputTokens > 0)
            return tr("The backend refused a larger max_tokens for %1; requests are capped at %2")
                .arg(m.model, QLocale().toString(m.maxOutputTokens));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Model:
        return m.model;
    case Ratio:
        return calibrated ? QStringLiteral("×%1").arg(m.ratio, 0, 'f', 2) : QStringLiteral("—");
    case Samples:
        return calibrated ? QLocale().toString(m.samples) : QStringLiteral("—");
    case EstimateError:
        return calibrated ? tr("%1 %").arg(100.0 * m.meanAbsoluteError, 0, 'f', 1) : QStringLiteral("—");
    case MaxOutputTokens:
        return m.maxOutputTokens > 0 ? QLocale().toString(m.maxOutputTokens) : QStringLiteral("—");
    case Context:
        return m.contextLength > 0 ? QLocale().toString(m.contextLength) : QStringLiteral("—");
    default:
        return {};
    }
}

QVariant LearnedModelsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Ratio:
            return tr("Prompt tokens the backend counted, per token ModelRelay estimated (smoothed); "
                      "corrects count_tokens answers and Ollama's context size");
        case Samples:
            return tr("Answers the ratio was learned from");
        case EstimateError:
            return tr("How far the uncorrected estimate was from the backend's count, on average");
        case MaxOutputTokens:
            return tr("The largest max_tokens the backend accepts, learned when it refused more");
        case Context:
            return tr("The context window Ollama reported for the model (/api/show); num_ctx and the "
                      "Claude Code setup line stay within it");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Model:
        return tr("Backend model");
    case Ratio:
        return tr("Token estimate");
    case Samples:
        return tr("Samples");
    case EstimateError:
        return tr("Raw estimate error");
    case MaxOutputTokens:
        return tr("Max output tokens");
    case Context:
        return tr("Context window");
    default:
        return {};
    }
}

void LearnedModelsModel::setModels(const LearnedModels &models) {
    bool sameRows = models.size() == m_models.size();
    for (qsizetype i = 0; sameRows && i < models.size(); ++i)
        sameRows = models.at(i).model == m_models.at(i).model;
    if (!sameRows) {
        beginResetModel();
        m_models = models;
        endResetModel();
        return;
    }
    if (models == m_models)
        return;
    m_models = models;
    emit dataChanged(index(0, 0), index(int(m_models.size()) - 1, ColumnCount - 1));
}

} // namespace modelrelay
