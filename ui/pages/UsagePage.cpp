#include "UsagePage.h"

#include "charts/BarChart.h"
#include "history/HistoryStore.h"
#include "models/DailyUsageModel.h"
#include "models/ModelUsageModel.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace modelrelay {

namespace {

// New requests redraw the page at most this often (and only while it is shown).
constexpr int kRefreshMs = 2000;

QTableView *tableFor(QAbstractItemModel *model, int stretchColumn) {
    auto *view = new QTableView;
    view->setModel(model);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    return view;
}

QGroupBox *boxed(const QString &title, QWidget *content) {
    auto *box = new QGroupBox(title);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(content);
    return box;
}

// Red that reads on the palette in use.
QColor errorColor(const QPalette &palette) {
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x7b, 0x72)
                                                             : QColor(0xc0, 0x39, 0x2b);
}

} // namespace

UsagePage::UsagePage(HistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_period(new QComboBox)
    , m_totals(new QLabel)
    , m_tokens(new BarChart)
    , m_requests(new BarChart)
    , m_perModel(new ModelUsageModel(this))
    , m_perDay(new DailyUsageModel(this))
    , m_throttle(new QTimer(this)) {
    m_period->addItems({tr("Last 24 hours"), tr("Last 7 days"), tr("Last 30 days"), tr("Last 90 days")});
    m_period->setCurrentIndex(LastWeek);
    m_period->setAccessibleName(tr("Period"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totals->setWordWrap(true);
    m_tokens->setValueFormat(tr(" tokens"));
    m_tokens->setAccessibleName(tr("Tokens per day by model"));
    m_requests->setAccessibleName(tr("Requests and errors over time"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_period);
    top->addWidget(m_totals, 1);
    auto *charts = new QHBoxLayout;
    charts->addWidget(boxed(tr("Tokens per day (in + out), by model"), m_tokens), 1);
    charts->addWidget(boxed(tr("Requests and errors"), m_requests), 1);
    auto *tables = new QTabWidget;
    tables->setDocumentMode(true);
    tables->addTab(tableFor(m_perModel, ModelUsageModel::Model), tr("Per model"));
    tables->addTab(tableFor(m_perDay, DailyUsageModel::Model), tr("Per model and day"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(charts, 2);
    layout->addWidget(tables, 3);

    m_throttle->setSingleShot(true);
    m_throttle->setInterval(kRefreshMs);
    connect(m_throttle, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    connect(m_period, &QComboBox::currentIndexChanged, this, &UsagePage::refresh);
    connect(m_store, &HistoryStore::ready, this, &UsagePage::refresh);
    connect(m_store, &HistoryStore::written, m_throttle, [this] {
        if (!m_throttle->isActive())
            m_throttle->start();
    });
    connect(m_store, &HistoryStore::pruned, this, &UsagePage::refresh);
    refresh();
}

void UsagePage::showEvent(QShowEvent *event) {
    refresh();
    QWidget::showEvent(event);
}

void UsagePage::refresh() {
    if (!m_store->isReady()) {
        m_totals->setText(m_store->problem().isEmpty() ? tr("Opening the history…") : m_store->problem());
        return;
    }
    const QDateTime now = QDateTime::currentDateTime();
    static constexpr int kDays[] = {1, 7, 30, 90};
    const int days = kDays[qBound(0, m_period->currentIndex(), 3)];
    // Whole days (from midnight), except for the last 24 hours.
    const QDateTime from = days == 1 ? QDateTime(now.date(), QTime(now.time().hour(), 0)).addSecs(-23 * 3600)
                                     : QDateTime(now.date().addDays(1 - days), QTime(0, 0));
    const QDateTime to = days == 1 ? QDateTime(now.date(), QTime(now.time().hour(), 0)).addSecs(3600)
                                   : QDateTime(now.date().addDays(1), QTime(0, 0));
    m_report = m_store->queries().usage(from, to);
    const QLocale locale;

    m_totals->setText(tr("%1 requests · %2 errors · %3 tokens in · %4 out")
                          .arg(locale.toString(m_report.requests), locale.toString(m_report.errors),
                               locale.toString(m_report.inputTokens),
                               locale.toString(m_report.outputTokens)));

    // Tokens: one bar per day of the range, one segment per model (busiest first).
    QStringList dayLabels;
    QList<QDate> dayList;
    for (QDate day = from.date(); day < to.date() || (days == 1 && day <= to.date()); day = day.addDays(1)) {
        dayList.append(day);
        dayLabels.append(locale.toString(day, QStringLiteral("d MMM")));
    }
    QStringList models;
    for (const UsageReport::Model &m : std::as_const(m_report.models))
        models.append(m.model);
    QList<QList<double>> tokens(models.size(), QList<double>(dayList.size(), 0.0));
    for (const UsageReport::ModelDay &d : std::as_const(m_report.modelDays)) {
        const qsizetype s = models.indexOf(d.model);
        const qsizetype c = dayList.indexOf(d.day);
        if (s >= 0 && c >= 0)
            tokens[s][c] += double(d.inputTokens + d.outputTokens);
    }
    m_tokens->setData(dayLabels, models, tokens);

    QStringList bucketLabels;
    QList<QList<double>> counts(2);
    for (const UsageReport::Bucket &bucket : std::as_const(m_report.buckets)) {
        bucketLabels.append(m_report.hourly ? bucket.start.toString(QStringLiteral("HH:00"))
                                            : locale.toString(bucket.start.date(), QStringLiteral("d MMM")));
        counts[0].append(bucket.requests);
        counts[1].append(bucket.errors);
    }
    m_requests->setData(bucketLabels, {tr("Requests"), tr("Errors")}, counts, false);
    m_requests->setSeriesColor(1, errorColor(palette()));

    m_perModel->setReport(m_report);
    m_perDay->setReport(m_report);
}

} // namespace modelrelay
