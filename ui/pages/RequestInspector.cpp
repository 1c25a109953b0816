#include "RequestInspector.h"

#include "models/RequestLogModel.h"
#include "records/RequestRecordExport.h"
#include "records/SecretRedactor.h"

#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace modelrelay {

namespace {

// The panes are built from the export document, not from the record: what the user reads is
// what they attach, redacted the same way (a key split across two chunks included).
QString jsonText(const QJsonValue &value) {
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented));
    if (value.isString())
        return value.toString();
    if (value.isNull() || value.isUndefined())
        return {};
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QString withNewline(QString text) {
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    return text;
}

QString heading(const QString &label) {
    return QStringLiteral("── %1 ──\n").arg(label);
}

QString millis(qint64 ms) {
    return QStringLiteral("+%1 ms").arg(ms);
}

QString notKept() {
    return RequestInspector::tr("(not kept: only the newest %1 requests in the log keep their bodies)")
        .arg(RequestLogModel::kRowsWithBodies);
}

QString cutNote(const QByteArray &raw) {
    return raw.size() >= RequestRecord::kMaxRecordedBody
               ? RequestInspector::tr("\n… (cut at %1 KB)").arg(RequestRecord::kMaxRecordedBody / 1024)
               : QString();
}

qint64 omittedTotal(const QList<TimedBytes> &pieces) {
    qint64 total = 0;
    for (const TimedBytes &piece : pieces)
        total += RequestRecord::omittedBytes(piece);
    return total;
}

QString omittedNote(qint64 bytes) {
    return RequestInspector::tr("… %1 more bytes not recorded (the log keeps %2 KB per direction)\n")
        .arg(bytes)
        .arg(RequestRecord::kMaxRecordedBody / 1024);
}

bool reachedBackend(const RequestRecord &r) {
    return !r.attempts.isEmpty() || !r.backendRequest.isEmpty() || !r.backendChunks.isEmpty();
}

QString chunksText(const RequestRecord &r, const QJsonArray &chunks) {
    if (chunks.isEmpty())
        return reachedBackend(r) ? RequestInspector::tr("(no bytes recorded from the backend)")
                                 : RequestInspector::tr("(nothing was sent to a backend)");
    QString text;
    const QLocale locale;
    for (qsizetype i = 0; i < chunks.size(); ++i) {
        const QJsonObject chunk = chunks.at(i).toObject();
        if (chunk.contains(QStringLiteral("omittedBytes"))) {
            text += omittedNote(chunk.value(QStringLiteral("omittedBytes")).toInteger());
            continue;
        }
        // The chunks of the document are the record's, one for one: the size is the real one.
        const qsizetype size = r.backendChunks.value(i).bytes.size();
        text +=
            heading(RequestInspector::tr("%1 · %2 bytes")
                        .arg(millis(chunk.value(QStringLiteral("atMs")).toInteger()), locale.toString(size)));
        text += withNewline(chunk.value(QStringLiteral("text")).toString());
    }
    return text;
}

QString eventsText(const RequestRecord &r, const QJsonObject &doc) {
    const QJsonArray events = doc.value(QStringLiteral("clientEvents")).toArray();
    QString text;
    if (!events.isEmpty()) {
        for (const QJsonValue &value : events) {
            const QJsonObject event = value.toObject();
            QString name = event.value(QStringLiteral("event")).toString();
            if (name.isEmpty())
                name = RequestInspector::tr("(unnamed event)");
            text += heading(event.contains(QStringLiteral("atMs"))
                                ? QStringLiteral("%1 · %2").arg(
                                      millis(event.value(QStringLiteral("atMs")).toInteger()), name)
                                : name);
            text += withNewline(jsonText(event.value(QStringLiteral("data"))));
        }
    } else {
        // A JSON answer (not streamed, or refused before the stream began).
        const QJsonValue answer =
            doc.value(QStringLiteral("bodies")).toObject().value(QStringLiteral("clientResponse"));
        if (answer.isNull())
            return r.status == 0 ? RequestInspector::tr("(nothing was sent to the client)") : notKept();
        const QJsonValue at =
            doc.value(QStringLiteral("timings")).toObject().value(QStringLiteral("firstClientWriteMs"));
        text += heading(at.isNull() ? RequestInspector::tr("answer")
                                    : RequestInspector::tr("%1 · answer").arg(millis(at.toInteger())));
        text += withNewline(jsonText(answer));
    }
    if (const qint64 omitted = omittedTotal(r.clientWrites); omitted > 0)
        text += omittedNote(omitted);
    return text;
}

QString summaryText(const RequestRecord &r, const QJsonObject &doc) {
    const QJsonObject timings = doc.value(QStringLiteral("timings")).toObject();
    QStringList parts;
    parts << RequestInspector::tr("Request #%1").arg(r.id) << RequestInspector::tr("HTTP %1").arg(r.status);
    auto addTime = [&](const QString &key, const QString &label) {
        const QJsonValue value = timings.value(key);
        if (!value.isNull())
            parts << label.arg(millis(value.toInteger()));
    };
    addTime(QStringLiteral("firstBackendByteMs"), RequestInspector::tr("first backend byte %1"));
    addTime(QStringLiteral("firstClientWriteMs"), RequestInspector::tr("first write to client %1"));
    addTime(QStringLiteral("timeToFirstTokenMs"), RequestInspector::tr("first token %1"));
    parts << RequestInspector::tr("done in %1 ms").arg(r.durationMs);
    QString text = parts.join(QStringLiteral(" · "));
    QStringList attempts;
    for (const BackendAttempt &attempt : r.attempts) {
        QString line =
            QStringLiteral("%1 (%2) %3").arg(attempt.backendModel, attempt.backendName, millis(attempt.atMs));
        if (!attempt.outcome.isEmpty())
            line += QStringLiteral(": ") + attempt.outcome;
        attempts << line;
    }
    if (!r.route.isEmpty())
        text += QLatin1Char('\n') + RequestInspector::tr("Route: %1").arg(r.route);
    if (attempts.size() > 1)
        text +=
            QLatin1Char('\n') + RequestInspector::tr("Tried: %1").arg(attempts.join(QStringLiteral(" → ")));
    return QString::fromUtf8(SecretRedactor::redact(text.toUtf8()));
}

} // namespace

RequestInspector::RequestInspector(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel)
    , m_export(new QPushButton(tr("Export…")))
    , m_splitter(new QSplitter(Qt::Horizontal)) {
    m_summary->setTextFormat(Qt::PlainText);
    // Explicit lines, not word wrap: a wrapped label inside a tab page gets too little height.
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setMinimumWidth(1);
    m_export->setToolTip(tr("Save this exchange as a JSON file to attach to a bug report (keys removed)"));
    m_export->setEnabled(false);

    const QStringList titles = {tr("Client request"), tr("Sent to backend"), tr("Backend chunks"),
                                tr("Events to client")};
    for (const QString &title : titles) {
        auto *column = new QWidget;
        auto *columnLayout = new QVBoxLayout(column);
        columnLayout->setContentsMargins(0, 0, 0, 0);
        auto *label = new QLabel(title);
        label->setTextFormat(Qt::PlainText);
        label->setMinimumWidth(1); // a long title is clipped (its tooltip has it all), not widening the pane
        QFont bold = label->font();
        bold.setBold(true);
        label->setFont(bold);
        auto *view = new QPlainTextEdit;
        view->setReadOnly(true);
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
        view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        columnLayout->addWidget(label);
        columnLayout->addWidget(view, 1);
        m_splitter->addWidget(column);
        m_titles.append(label);
        m_panes.append(view);
    }
    m_splitter->setChildrenCollapsible(false);
    for (int i = 0; i < PaneCount; ++i)
        m_splitter->setStretchFactor(i, 1);

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_export, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);

    connect(m_export, &QPushButton::clicked, this, &RequestInspector::exportWithDialog);
    clear();
}

void RequestInspector::clear() {
    m_record.reset();
    m_summary->setText(tr("Select a request to see what was translated, with its times."));
    m_export->setEnabled(false);
    const QStringList titles = {tr("Client request"), tr("Sent to backend"), tr("Backend chunks"),
                                tr("Events to client")};
    for (int i = 0; i < PaneCount; ++i) {
        m_titles.at(i)->setText(titles.at(i));
        m_titles.at(i)->setToolTip(QString());
        m_panes.at(i)->clear();
    }
}

void RequestInspector::setRecord(const RequestRecord &record) {
    m_record = record;
    const RequestRecord &r = *m_record;
    const QJsonObject doc = RequestRecordExport::toJson(r);
    const QJsonObject bodies = doc.value(QStringLiteral("bodies")).toObject();
    const QLocale locale;

    m_summary->setText(summaryText(r, doc));
    m_export->setEnabled(true);

    const QString clientRequest = jsonText(bodies.value(QStringLiteral("clientRequest")));
    m_titles.at(ClientRequest)
        ->setText(r.clientRequest.isEmpty() ? tr("Client request")
                                            : tr("Client request · %1")
                                                  .arg(locale.formattedDataSize(r.clientRequest.size(), 1,
                                                                                QLocale::DataSizeSIFormat)));
    m_panes.at(ClientRequest)
        ->setPlainText(clientRequest.isEmpty() ? notKept() : clientRequest + cutNote(r.clientRequest));

    const QString backendRequest = jsonText(bodies.value(QStringLiteral("backendRequest")));
    m_titles.at(BackendRequest)
        ->setText(r.backendModel.isEmpty() ? tr("Sent to backend")
                  : r.backendName.isEmpty()
                      ? tr("Sent to backend · %1").arg(r.backendModel)
                      : tr("Sent to backend · %1 on %2").arg(r.backendModel, r.backendName));
    m_panes.at(BackendRequest)
        ->setPlainText(!backendRequest.isEmpty() ? backendRequest + cutNote(r.backendRequest)
                       : reachedBackend(r)       ? notKept()
                                                 : tr("(nothing was sent to a backend)"));

    const QJsonArray chunks = doc.value(QStringLiteral("backendChunks")).toArray();
    qsizetype chunkCount = 0;
    for (const TimedBytes &chunk : r.backendChunks)
        chunkCount += RequestRecord::isOmittedMarker(chunk) ? 0 : 1;
    m_titles.at(BackendChunks)->setText(tr("Backend chunks · %1").arg(chunkCount));
    m_panes.at(BackendChunks)->setPlainText(chunksText(r, chunks));

    const qsizetype eventCount = doc.value(QStringLiteral("clientEvents")).toArray().size();
    m_titles.at(ClientEvents)
        ->setText(eventCount > 0 ? tr("Events to client · %1").arg(eventCount) : tr("Answer to client"));
    m_panes.at(ClientEvents)->setPlainText(eventsText(r, doc));
    if (!m_notKeptNote.isEmpty()) {
        for (QPlainTextEdit *pane : std::as_const(m_panes))
            if (pane->toPlainText() == notKept())
                pane->setPlainText(m_notKeptNote);
    }
    for (QLabel *title : std::as_const(m_titles))
        title->setToolTip(title->text());
}

bool RequestInspector::exportTo(const QString &path, QString *error) const {
    if (!m_record) {
        if (error)
            *error = tr("No request is selected.");
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(RequestRecordExport::toFileContents(*m_record)) < 0 ||
        !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void RequestInspector::exportWithDialog() {
    if (!m_record)
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export request"), QDir(folder).filePath(RequestRecordExport::suggestedFileName(*m_record)),
        tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export request"),
                             tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), error));
}

} // namespace modelrelay
