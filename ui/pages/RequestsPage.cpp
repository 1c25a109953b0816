#include "RequestsPage.h"

#include "RequestInspector.h"
#include "RequestSummary.h"
#include "models/ModelTotalsModel.h"
#include "models/RequestLogModel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace modelrelay {

RequestsPage::RequestsPage(RequestLogModel *log, ModelTotalsModel *totals, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_table(new QTableView)
    , m_details(new QPlainTextEdit) {
    m_table->setModel(log);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    sizeColumns(m_table, QStringLiteral("00:00:00"));
    m_table->setWordWrap(false);

    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a request to see its details."));
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *totalsView = new QTableView;
    totalsView->setModel(totals);
    totalsView->verticalHeader()->hide();
    totalsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    totalsView->horizontalHeader()->setSectionResizeMode(ModelTotalsModel::Model, QHeaderView::Stretch);
    totalsView->setSelectionMode(QAbstractItemView::NoSelection);
    totalsView->setWordWrap(false);

    auto *clear = new QPushButton(tr("Clear log"));
    connect(clear, &QPushButton::clicked, this, [log, totals] {
        log->clear();
        totals->clear();
    });

    auto *totalsBox = new QWidget;
    auto *totalsLayout = new QVBoxLayout(totalsBox);
    totalsLayout->setContentsMargins(0, 0, 0, 0);
    auto *totalsHeader = new QHBoxLayout;
    totalsHeader->addWidget(new QLabel(tr("<b>Totals per model</b>")));
    totalsHeader->addStretch();
    totalsHeader->addWidget(clear);
    totalsLayout->addLayout(totalsHeader);
    totalsLayout->addWidget(totalsView);

    auto *summary = new QSplitter(Qt::Horizontal);
    summary->addWidget(m_details);
    summary->addWidget(totalsBox);
    summary->setStretchFactor(0, 1);
    summary->setStretchFactor(1, 1);
    // The exchange gets the whole width: four panes side by side.
    m_inspector = new RequestInspector;
    m_bodies = new QTabWidget;
    m_bodies->setDocumentMode(true);
    m_bodies->addTab(summary, tr("Summary"));
    m_bodies->addTab(m_inspector, tr("Exchange: client ↔ backend"));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_bodies);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RequestsPage::showDetails);
    // Follow the newest request unless the user scrolled up to read an older one.
    connect(log, &RequestLogModel::recordsAdded, this, [this] {
        QScrollBar *bar = m_table->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 2)
            m_table->scrollToBottom();
    });
}

void RequestsPage::sizeColumns(QTableView *table, const QString &timeSample) {
    // Fixed widths sized for large values: contents-sized columns would be measured on the rows
    // present at layout time and then jump (or elide) while the log fills.
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->horizontalHeader()->setSectionResizeMode(RequestLogModel::Model, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(RequestLogModel::Backend, QHeaderView::Stretch);
    const QLocale locale;
    const QList<std::pair<int, QString>> widest = {
        {RequestLogModel::Time, timeSample},
        {RequestLogModel::Mode, tr("stream")},
        {RequestLogModel::Status, QStringLiteral("529")},
        {RequestLogModel::EstimatedInput, locale.toString(888888)},
        {RequestLogModel::Input, locale.toString(888888)},
        {RequestLogModel::Output, locale.toString(88888)},
        {RequestLogModel::FirstToken, QStringLiteral("88888 ms")},
        {RequestLogModel::Duration, QStringLiteral("888.88 s")},
    };
    const QFontMetrics headerMetrics = table->horizontalHeader()->fontMetrics();
    for (const auto &[column, sample] : widest) {
        const QString title = RequestLogModel::columnTitle(column).toString();
        table->setColumnWidth(column, qMax(headerMetrics.horizontalAdvance(title) + 16,
                                           table->fontMetrics().horizontalAdvance(sample) + 16));
    }
}

QPlainTextEdit *RequestsPage::bodyView(int index) const {
    static constexpr RequestInspector::Pane panes[] = {
        RequestInspector::ClientRequest, RequestInspector::BackendRequest, RequestInspector::ClientEvents};
    return index >= 0 && index < 3 ? m_inspector->pane(panes[index]) : nullptr;
}

void RequestsPage::showDetails() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_details->clear();
        m_inspector->clear();
        return;
    }
    const RequestRecord &r = m_log->record(current.row());
    m_details->setPlainText(RequestSummary::text(r));
    m_inspector->setRecord(r);
}

} // namespace modelrelay
