#include "HistoryModel.h"

#include "RequestLogModel.h"
#include "history/HistoryStore.h"

#include <QDate>
#include <QLocale>

namespace modelrelay {

HistoryModel::HistoryModel(HistoryStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store) {
    connect(m_store, &HistoryStore::ready, this, &HistoryModel::reload);
    connect(m_store, &HistoryStore::written, this, &HistoryModel::addWritten);
    connect(m_store, &HistoryStore::pruned, this, &HistoryModel::reload);
    reload();
}

int HistoryModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : RequestLogModel::ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RequestRecord &r = m_rows.at(index.row()).record;
    // The history spans days: the date shows unless it is today.
    if (index.column() == RequestLogModel::Time && role == Qt::DisplayRole) {
        const QDateTime local = r.startedAt.toLocalTime();
        return local.date() == QDate::currentDate() ? local.toString(QStringLiteral("HH:mm:ss"))
                                                    : QLocale().toString(local.date(), QLocale::ShortFormat) +
                                                          local.toString(QStringLiteral(" HH:mm"));
    }
    if (index.column() == RequestLogModel::Time && role == Qt::ToolTipRole)
        return r.startedAt.toLocalTime().toString(Qt::ISODateWithMs);
    return RequestLogModel::cellData(r, index.column(), role);
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return RequestLogModel::columnTitle(section);
}

bool HistoryModel::canFetchMore(const QModelIndex &parent) const {
    return !parent.isValid() && !m_exhausted && !m_changing && m_store->isReady();
}

void HistoryModel::fetchMore(const QModelIndex &parent) {
    if (!canFetchMore(parent))
        return;
    const qint64 before = m_rows.isEmpty() ? 0 : m_rows.constLast().rowId;
    const QList<StoredRequest> page = m_store->queries().rows(m_filter, before, kPage);
    m_exhausted = page.size() < kPage;
    if (page.isEmpty())
        return;
    m_changing = true;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size()) - 1);
    m_rows.append(page);
    endInsertRows();
    m_changing = false;
}

void HistoryModel::setFilter(const HistoryFilter &filter) {
    m_filter = filter;
    reload();
}

void HistoryModel::reload() {
    // The first page is read inside the reset: a view asking for more while the reset is being
    // announced would insert rows into a model still being reset.
    m_changing = true;
    beginResetModel();
    m_rows.clear();
    m_exhausted = !m_store->isReady();
    if (m_store->isReady()) {
        m_rows = m_store->queries().rows(m_filter, 0, kPage);
        m_exhausted = m_rows.size() < kPage;
    }
    endResetModel();
    m_changing = false;
}

void HistoryModel::addWritten() {
    if (!m_store->isReady())
        return;
    if (m_rows.isEmpty()) {
        reload();
        return;
    }
    const QList<StoredRequest> added =
        m_store->queries().rowsAfter(m_filter, m_rows.constFirst().rowId, kMaxRows);
    if (added.isEmpty())
        return;
    m_changing = true;
    beginInsertRows({}, 0, int(added.size()) - 1);
    m_rows = added + m_rows;
    endInsertRows();
    // The oldest rows held go; scrolling down reads them again.
    if (m_rows.size() > kMaxRows) {
        beginRemoveRows({}, kMaxRows, int(m_rows.size()) - 1);
        m_rows.resize(kMaxRows);
        endRemoveRows();
        m_exhausted = false;
    }
    m_changing = false;
}

} // namespace modelrelay
