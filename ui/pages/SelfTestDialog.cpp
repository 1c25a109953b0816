#include "SelfTestDialog.h"

#include "selftest/SelfTest.h"
#include "selftest/SelfTestReport.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace modelrelay {

namespace {

QColor statusColour(SelfTestStatus status) {
    switch (status) {
    case SelfTestStatus::Passed:
        return QColor(0x2e, 0x7d, 0x32);
    case SelfTestStatus::Failed:
        return QColor(0xc0, 0x39, 0x2b);
    case SelfTestStatus::Unsupported:
        return QColor(0xb9, 0x77, 0x0e);
    case SelfTestStatus::Skipped:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

} // namespace

SelfTestDialog::SelfTestDialog(QWidget *parent)
    : QDialog(parent)
    , m_selfTest(new SelfTest(this))
    , m_heading(new QLabel)
    , m_summary(new QLabel)
    , m_table(new QTableWidget(0, 4))
    , m_runAgain(new QPushButton(tr("Run again"))) {
    setWindowTitle(tr("ModelRelay self-test"));
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_table->setHorizontalHeaderLabels({tr("Capability"), tr("Result"), tr("Time"), tr("Detail")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_runAgain, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_runAgain, &QPushButton::clicked, this, [this] { run(m_profileName, m_config); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(900, 420);

    connect(m_selfTest, &SelfTest::started, this, [this](const QString &model) {
        m_heading->setText(
            tr("<b>%1</b>: %2 %3, model <b>%4</b>. Claude Code-shaped requests go through a private proxy "
               "on a free port.")
                .arg(m_profileName.toHtmlEscaped(), backendKindName(m_config.backend.kind),
                     m_config.backend.shownUrl().toHtmlEscaped(),
                     model.isEmpty() ? tr("(none)") : model.toHtmlEscaped()));
    });
    connect(m_selfTest, &SelfTest::resultReady, this, [this](const SelfTestResult &result) {
        addRow(result);
        m_summary->setText(tr("Running… %1 checked.").arg(m_table->rowCount()));
    });
    connect(m_selfTest, &SelfTest::finished, this, [this](const QList<SelfTestResult> &results) {
        const bool passed = allRequiredPassed(results);
        m_summary->setText(
            tr("<span style='color:%1'>%2</span>")
                .arg(statusColour(passed ? SelfTestStatus::Passed : SelfTestStatus::Failed).name(),
                     SelfTestReport::summary(results).toHtmlEscaped()));
        m_runAgain->setEnabled(true);
        emit selfTestFinished(passed);
    });
}

bool SelfTestDialog::isRunning() const {
    return m_selfTest->isRunning();
}

void SelfTestDialog::run(const QString &profileName, const ProxyConfig &config) {
    m_profileName = profileName;
    m_config = config;
    setWindowTitle(tr("Self-test: %1").arg(profileName));
    m_table->setRowCount(0);
    m_heading->setText(tr("<b>%1</b>: starting…").arg(profileName.toHtmlEscaped()));
    m_summary->setText(tr("Running…"));
    m_runAgain->setEnabled(false);
    m_selfTest->start(config);
}

void SelfTestDialog::addRow(const SelfTestResult &result) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto *title =
        new QTableWidgetItem(result.required ? result.title : tr("%1 (optional)").arg(result.title));
    auto *status = new QTableWidgetItem(selfTestStatusName(result.status));
    status->setForeground(statusColour(result.status));
    QFont bold = status->font();
    bold.setBold(true);
    status->setFont(bold);
    auto *time = new QTableWidgetItem(result.status == SelfTestStatus::Skipped
                                          ? QStringLiteral("–")
                                          : tr("%1 s").arg(result.durationMs / 1000.0, 0, 'f', 1));
    time->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto *detail = new QTableWidgetItem(result.detail);
    detail->setToolTip(result.detail);
    m_table->setItem(row, 0, title);
    m_table->setItem(row, 1, status);
    m_table->setItem(row, 2, time);
    m_table->setItem(row, 3, detail);
    m_table->resizeRowToContents(row);
}

} // namespace modelrelay
