// The live request log as a table: a bounded ring of the newest records. Records arriving from
// the proxy are queued and inserted once per timer tick, so a burst of requests costs the view one
// update instead of hundreds.
#pragma once

#include "records/RequestRecord.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>
#include <deque>

namespace modelrelay {

class RequestLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Time,
        Model,
        Backend, // the profile that answered, with the route and fallbacks that led there
        Mode,
        Status,
        EstimatedInput,
        Input,
        Output,
        FirstToken,
        Duration,
        ColumnCount
    };
    enum Role { RecordRole = Qt::UserRole + 1 };

    explicit RequestLogModel(int capacity = 1000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // What a row shows for a record in each column and role (the history's table shows the same).
    static QVariant cellData(const RequestRecord &record, int column, int role);
    static QVariant columnTitle(int column);

    int capacity() const { return m_capacity; }
    static constexpr int kRowsWithBodies = 50; // newest rows that keep their request/response bodies
    const RequestRecord &record(int row) const { return m_rows.at(std::size_t(row)); }

public slots:
    void add(const modelrelay::RequestRecord &record); // queued until the next tick
    void flush();                                      // inserts what is queued now
    void clear();

signals:
    void recordsAdded(int count);

private:
    int m_capacity;
    std::deque<RequestRecord> m_rows; // oldest first
    QList<RequestRecord> m_pending;
    QTimer m_tick;
};

} // namespace modelrelay
