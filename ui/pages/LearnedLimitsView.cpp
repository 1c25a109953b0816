#include "LearnedLimitsView.h"

#include "models/LearnedModelsModel.h"
#include "server/ProxyService.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace modelrelay {

LearnedLimitsView::LearnedLimitsView(ProxyService &service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_model(new LearnedModelsModel(this))
    , m_table(new QTableView)
    , m_forgetSelected(new QPushButton(tr("Forget selected")))
    , m_forgetAll(new QPushButton(tr("Forget all"))) {
    auto *heading = new QLabel(tr("<b>Learned from the backend</b>"));
    auto *intro = new QLabel(
        tr("Answers teach ModelRelay how each backend model counts tokens, and refusals teach it output "
           "limits. Forget a model after changing what it runs (another quantization, a new version)."));
    intro->setWordWrap(true);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LearnedModelsModel::Model, QHeaderView::Stretch);
    // A few rows are enough: most setups have a handful of backend models.
    const int row = m_table->fontMetrics().height() + 8;
    m_table->verticalHeader()->setDefaultSectionSize(row);
    m_table->setMaximumHeight(row * 6);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_forgetSelected);
    buttons->addWidget(m_forgetAll);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(heading);
    layout->addWidget(intro);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(&m_service, &ProxyService::learnedChanged, m_model, &LearnedModelsModel::setModels);
    // The file the proxy learns into is known once it was started with a configuration.
    connect(&m_service, &ProxyService::started, this, [this] { m_service.refreshLearned(); });
    connect(m_forgetSelected, &QPushButton::clicked, this, &LearnedLimitsView::forgetSelected);
    connect(m_forgetAll, &QPushButton::clicked, this, [this] { m_service.forgetLearned(QString()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LearnedLimitsView::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LearnedLimitsView::updateButtons);
    updateButtons();
    m_service.refreshLearned();
}

void LearnedLimitsView::forgetSelected() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        // An empty name would forget every model.
        if (const QString model = m_model->modelName(row.row()); !model.isEmpty())
            m_service.forgetLearned(model);
    }
}

void LearnedLimitsView::updateButtons() {
    m_forgetSelected->setEnabled(m_table->selectionModel()->hasSelection());
    m_forgetAll->setEnabled(m_model->rowCount() > 0);
}

} // namespace modelrelay
