// Shows one logged request's exchange side by side: the client's request, what was sent to the
// backend, the backend's chunks and the events sent back to the client, with their times, all
// redacted; and exports the same content as a file to attach to a bug report.
#pragma once

#include "records/RequestRecord.h"

#include <QList>
#include <QWidget>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSplitter;

namespace modelrelay {

class RequestInspector : public QWidget {
    Q_OBJECT
public:
    enum Pane { ClientRequest, BackendRequest, BackendChunks, ClientEvents, PaneCount };

    explicit RequestInspector(QWidget *parent = nullptr);

    void setRecord(const RequestRecord &record);
    // What an empty body pane says instead of the live log's "only the newest … keep their bodies".
    void setNotKeptNote(const QString &note) { m_notKeptNote = note; }
    void clear();
    bool hasRecord() const { return m_record.has_value(); }

    QPlainTextEdit *pane(Pane pane) const { return m_panes.value(pane); }
    QLabel *paneTitle(Pane pane) const { return m_titles.value(pane); }
    QLabel *summary() const { return m_summary; }
    QPushButton *exportButton() const { return m_export; }
    QSplitter *splitter() const { return m_splitter; }

    // Writes RequestRecordExport::toFileContents of the shown record; false with *error if it
    // could not (or nothing is shown).
    bool exportTo(const QString &path, QString *error = nullptr) const;

public slots:
    void exportWithDialog(); // asks where, then exportTo()

private:
    std::optional<RequestRecord> m_record;
    QString m_notKeptNote;
    QLabel *m_summary;
    QPushButton *m_export;
    QSplitter *m_splitter;
    QList<QLabel *> m_titles;
    QList<QPlainTextEdit *> m_panes;
};

} // namespace modelrelay
