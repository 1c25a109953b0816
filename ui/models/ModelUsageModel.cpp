#include "ModelUsageModel.h"

#include <QLocale>

namespace modelrelay {

int ModelUsageModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelUsageModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelUsageModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UsageReport::Model &m = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() != Model)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == EstimateError && m.estimateSamples > 0)
        return tr("Over %1 requests ModelRelay's input estimate was off by %2 % on average and %3 by %4 % "
                  "overall "
                  "(count_tokens and Ollama's context sizing use this estimate).")
            .arg(m.estimateSamples)
            .arg(m.meanEstimateError() * 100, 0, 'f', 1)
            .arg(m.meanEstimateBias() < 0 ? tr("low") : tr("high"))
            .arg(std::abs(m.meanEstimateBias()) * 100, 0, 'f', 1);
    if (role == Qt::ToolTipRole && index.column() == Model)
        return m.model;
    const QLocale locale;
    if (role == ValueRole) {
        switch (index.column()) {
        case Model:
            return m.model;
        case Requests:
            return m.requests;
        case Errors:
            return m.errors;
        case Input:
            return m.inputTokens;
        case Output:
            return m.outputTokens;
        case FirstToken:
            return m.meanFirstTokenMs();
        case TokensPerSecond:
            return m.tokensPerSecond();
        case EstimateError:
            return m.meanEstimateError();
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Model:
        return m.model;
    case Requests:
        return locale.toString(m.requests);
    case Errors:
        return locale.toString(m.errors);
    case Input:
        return locale.toString(m.inputTokens);
    case Output:
        return locale.toString(m.outputTokens);
    case FirstToken:
        return m.meanFirstTokenMs() < 0 ? QString()
                                        : tr("%1 ms").arg(locale.toString(m.meanFirstTokenMs(), 'f', 0));
    case TokensPerSecond:
        return m.tokensPerSecond() < 0 ? QString() : locale.toString(m.tokensPerSecond(), 'f', 1);
    case EstimateError:
        return m.meanEstimateError() < 0
                   ? QString()
                   : QStringLiteral("%1 % (%2%3 %)")
                         .arg(locale.toString(m.meanEstimateError() * 100, 'f', 1),
                              m.meanEstimateBias() < 0 ? QStringLiteral("−") : QStringLiteral("+"),
                              locale.toString(std::abs(m.meanEstimateBias()) * 100, 'f', 1));
    default:
        return {};
    }
}

QVariant ModelUsageModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == EstimateError)
        return tr("Mean error of ModelRelay's input token estimate against the backend's count, and its bias "
                  "(− under-estimates: Claude Code would compact too late)");
    if (role == Qt::ToolTipRole && section == TokensPerSecond)
        return tr("Output tokens per second from the first token to the end");
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
    case FirstToken:
        return tr("First token");
    case TokensPerSecond:
        return tr("Tokens/s");
    case EstimateError:
        return tr("Estimate error");
    default:
        return {};
    }
}

void ModelUsageModel::setReport(const UsageReport &report) {
    beginResetModel();
    m_rows = report.models;
    endResetModel();
}

} // namespace modelrelay
