#include "HistoryPage.h"

#include "RequestInspector.h"
#include "RequestSummary.h"
#include "RequestsPage.h"
#include "history/HistoryStore.h"
#include "models/HistoryModel.h"
#include "models/RequestLogModel.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace modelrelay {

namespace {

constexpr int kTypingPauseMs = 300;

qint64 bytesOnDisk(const QString &path) {
    qint64 total = 0;
    for (const QString &suffix : {QString(), QStringLiteral("-wal")})
        total += QFileInfo(path + suffix).size();
    return total;
}

} // namespace

HistoryPage::HistoryPage(HistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new HistoryModel(store, this))
    , m_search(new QLineEdit)
    , m_modelFilter(new QComboBox)
    , m_backendFilter(new QComboBox)
    , m_outcome(new QComboBox)
    , m_period(new QComboBox)
    , m_range(new QWidget)
    , m_from(new QDateTimeEdit)
    , m_to(new QDateTimeEdit)
    , m_export(new QPushButton(tr("E&xport…")))
    , m_table(new QTableView)
    , m_details(new QPlainTextEdit)
    , m_inspector(new RequestInspector)
    , m_days(new QSpinBox)
    , m_megabytes(new QSpinBox)
    , m_status(new QLabel)
    , m_typing(new QTimer(this)) {
    m_search->setPlaceholderText(tr("Search errors, notes and model names"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the history"));
    m_modelFilter->setAccessibleName(tr("Model"));
    m_backendFilter->setAccessibleName(tr("Backend"));
    m_outcome->setAccessibleName(tr("Outcome"));
    m_period->setAccessibleName(tr("Period"));
    m_outcome->addItems({tr("Any outcome"), tr("Succeeded"), tr("Failed")});
    m_period->addItems({tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days"), tr("Last 30 days"),
                        tr("All time"), tr("Custom range…")});
    m_period->setCurrentIndex(AllTime);
    for (QComboBox *box : {m_modelFilter, m_backendFilter}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(14);
    }
    m_modelFilter->addItem(tr("Any model"));
    m_backendFilter->addItem(tr("Any backend"));
    const QDateTime now = QDateTime::currentDateTime();
    m_from->setDateTime(now.addDays(-1));
    m_to->setDateTime(now);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QLocale().dateTimeFormat(QLocale::ShortFormat));
    }
    m_from->setAccessibleName(tr("From"));
    m_to->setAccessibleName(tr("To"));
    auto *rangeLayout = new QHBoxLayout(m_range);
    rangeLayout->setContentsMargins(0, 0, 0, 0);
    rangeLayout->addWidget(new QLabel(tr("From")));
    rangeLayout->addWidget(m_from);
    rangeLayout->addWidget(new QLabel(tr("to")));
    rangeLayout->addWidget(m_to);
    m_range->setVisible(false);
    m_export->setToolTip(
        tr("Save the requests the filter shows as JSON Lines (one request per line, keys redacted)"));

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    RequestsPage::sizeColumns(m_table, QLocale().toString(now.date(), QLocale::ShortFormat) +
                                           QStringLiteral(" 00:00"));
    m_table->setColumnHidden(RequestLogModel::Mode, true);
    m_table->setColumnHidden(RequestLogModel::EstimatedInput, true);
    m_table->setAccessibleName(tr("Stored requests"));

    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a request to see its details."));
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_inspector->setNotKeptNote(
        tr("(not kept: the history drops the bodies of its oldest requests first when it "
           "reaches its size limit; their figures stay)"));
    auto *bodies = new QTabWidget;
    bodies->setDocumentMode(true);
    bodies->addTab(m_details, tr("Summary"));
    bodies->addTab(m_inspector, tr("Exchange: client ↔ backend"));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(bodies);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    m_days->setRange(1, 3650);
    m_days->setSuffix(tr(" days"));
    m_days->setAccessibleName(tr("Keep requests for"));
    m_megabytes->setRange(10, 100000);
    m_megabytes->setSingleStep(50);
    m_megabytes->setSuffix(tr(" MB"));
    m_megabytes->setAccessibleName(tr("Largest size of the history"));
    m_days->setValue(store->retention().days);
    m_megabytes->setValue(store->retention().maxMegabytes);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 3);
    filters->addWidget(m_period, 1);
    filters->addWidget(m_export);
    auto *choices = new QHBoxLayout;
    choices->addWidget(m_modelFilter, 1);
    choices->addWidget(m_backendFilter, 1);
    choices->addWidget(m_outcome);
    choices->addWidget(m_range);
    auto *retention = new QHBoxLayout;
    auto *keepLabel = new QLabel(tr("&Keep"));
    keepLabel->setBuddy(m_days);
    retention->addWidget(keepLabel);
    retention->addWidget(m_days);
    retention->addWidget(new QLabel(tr("at most")));
    retention->addWidget(m_megabytes);
    retention->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addLayout(choices);
    layout->addWidget(split, 1);
    layout->addLayout(retention);

    m_typing->setSingleShot(true);
    m_typing->setInterval(kTypingPauseMs);
    connect(m_typing, &QTimer::timeout, this, &HistoryPage::applyFilter);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    for (QComboBox *box : {m_modelFilter, m_backendFilter, m_outcome})
        connect(box, &QComboBox::currentIndexChanged, this, &HistoryPage::applyFilter);
    connect(m_period, &QComboBox::currentIndexChanged, this, [this](int period) {
        m_range->setVisible(period == CustomRange);
        applyFilter();
    });
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &HistoryPage::applyFilter);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &HistoryPage::applyFilter);
    connect(m_export, &QPushButton::clicked, this, &HistoryPage::exportWithDialog);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HistoryPage::showSelected);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPage::showSelected);
    auto retentionEdited = [this] {
        const HistoryRetention retention{m_days->value(), m_megabytes->value()};
        if (retention == m_store->retention())
            return;
        m_store->setRetention(retention);
        emit retentionChanged(retention);
    };
    connect(m_days, &QSpinBox::editingFinished, this, retentionEdited);
    connect(m_megabytes, &QSpinBox::editingFinished, this, retentionEdited);
    connect(m_store, &HistoryStore::ready, this, &HistoryPage::refreshChoices);
    connect(m_store, &HistoryStore::ready, this, &HistoryPage::refreshStatus);
    connect(m_store, &HistoryStore::written, this, &HistoryPage::refreshStatus);
    connect(m_store, &HistoryStore::pruned, this, &HistoryPage::refreshStatus);
    connect(m_store, &HistoryStore::unavailable, this, &HistoryPage::refreshStatus);
    refreshChoices();
    refreshStatus();
}

HistoryFilter HistoryPage::filter() const {
    HistoryFilter filter;
    filter.text = m_search->text().trimmed();
    filter.model = m_modelFilter->currentIndex() > 0 ? m_modelFilter->currentText() : QString();
    filter.backend = m_backendFilter->currentIndex() > 0 ? m_backendFilter->currentText() : QString();
    filter.outcome = HistoryFilter::Outcome(m_outcome->currentIndex());
    const QDateTime now = QDateTime::currentDateTime();
    switch (m_period->currentIndex()) {
    case LastHour:
        filter.from = now.addSecs(-3600);
        break;
    case LastDay:
        filter.from = now.addDays(-1);
        break;
    case LastWeek:
        filter.from = now.addDays(-7);
        break;
    case LastMonth:
        filter.from = now.addDays(-30);
        break;
    case CustomRange:
        filter.from = m_from->dateTime();
        filter.to = m_to->dateTime();
        break;
    default:
        break;
    }
    return filter;
}

void HistoryPage::applyFilter() {
    m_typing->stop();
    m_model->setFilter(filter());
    refreshStatus();
}

void HistoryPage::refreshChoices() {
    if (!m_store->isReady())
        return;
    const QList<std::pair<QComboBox *, QStringList>> boxes{{m_modelFilter, m_store->queries().models()},
                                                           {m_backendFilter, m_store->queries().backends()}};
    for (const auto &[box, names] : boxes) {
        const QString current = box->currentIndex() > 0 ? box->currentText() : QString();
        const QSignalBlocker quiet(box);
        while (box->count() > 1)
            box->removeItem(1);
        box->addItems(names);
        box->setCurrentIndex(qMax(0, box->findText(current)));
    }
}

void HistoryPage::refreshStatus() {
    if (!m_store->isReady()) {
        m_status->setText(m_store->problem().isEmpty() ? tr("Opening the history…") : m_store->problem());
        m_status->setToolTip(m_status->text());
        return;
    }
    const QLocale locale;
    const qint64 shown = m_store->queries().count(m_model->filter());
    m_status->setText(
        tr("%1 requests · %2 on disk")
            .arg(locale.toString(shown),
                 locale.formattedDataSize(bytesOnDisk(m_store->path()), 1, QLocale::DataSizeSIFormat)));
    m_status->setToolTip(QDir::toNativeSeparators(m_store->path()));
}

void HistoryPage::setRetention(const HistoryRetention &retention) {
    m_days->setValue(retention.days);
    m_megabytes->setValue(retention.maxMegabytes);
    m_store->setRetention(retention);
}

void HistoryPage::showSelected() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_store->isReady()) {
        m_details->clear();
        m_inspector->clear();
        return;
    }
    const std::optional<StoredRequest> stored = m_store->queries().request(m_model->row(current.row()).rowId);
    if (!stored) {
        m_details->setPlainText(tr("This request is no longer in the history (the retention removed it)."));
        m_inspector->clear();
        return;
    }
    m_details->setPlainText(RequestSummary::text(stored->record));
    m_inspector->setRecord(stored->record);
}

bool HistoryPage::exportTo(const QString &path, QString *error) const {
    if (!m_store->isReady()) {
        *error = m_store->problem();
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    if (m_store->queries().exportTo(m_model->filter(), &file, error) < 0)
        return false;
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void HistoryPage::exportWithDialog() {
    const HistoryFilter current = m_model->filter();
    const QString from = current.from.isValid() ? current.from.toString(QStringLiteral("yyyyMMdd-HHmm"))
                                                : QStringLiteral("start");
    const QString to = (current.to.isValid() ? current.to : QDateTime::currentDateTime())
                           .toString(QStringLiteral("yyyyMMdd-HHmm"));
    const QString suggested = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                  .filePath(QStringLiteral("modelrelay-history-%1-%2.jsonl").arg(from, to));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the history"), suggested,
                                                      tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (exportTo(path, &error))
        m_status->setText(tr("Exported to %1").arg(QDir::toNativeSeparators(path)));
    else
        m_status->setText(tr("Could not export to %1: %2").arg(QDir::toNativeSeparators(path), error));
}

} // namespace modelrelay
