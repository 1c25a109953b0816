// The stored request history as a table, newest first, for one filter: rows are read from the
// database a page at a time as the view scrolls (fetchMore), requests written since are added on
// top, and at most kMaxRows are held, so memory stays flat however long the history is. Rows
// carry no bodies; the page reads one request's exchange when it is selected.
#pragma once

#include "history/HistoryFilter.h"
#include "history/StoredRequest.h"

#include <QAbstractTableModel>
#include <QList>

namespace modelrelay {

class HistoryStore;

class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kPage = 200;
    static constexpr int kMaxRows = 2000;

    explicit HistoryModel(HistoryStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    const HistoryFilter &filter() const { return m_filter; }
    const StoredRequest &row(int row) const { return m_rows.at(row); }

public slots:
    void setFilter(const modelrelay::HistoryFilter &filter);
    void reload();
    void addWritten(); // what the store wrote since the newest row, when the filter takes it

private:
    HistoryStore *m_store;
    HistoryFilter m_filter;
    QList<StoredRequest> m_rows; // newest first
    bool m_exhausted = false;
    bool m_changing = false; // inside our own insert/remove/reset: views asking for more must wait
};

} // namespace modelrelay
