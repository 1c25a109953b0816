#include "ModelMapPage.h"

#include "AppController.h"
#include "LearnedLimitsView.h"
#include "backends/ModelLister.h"
#include "models/ModelMapModel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace modelrelay {

namespace {
// An editable combo box for backend model names: pick from what the backend serves, or type.
class BackendModelDelegate : public QStyledItemDelegate {
public:
    BackendModelDelegate(const QStringList *models, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_models(models) {}
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override {
        auto *combo = new QComboBox(parent);
        combo->setEditable(true);
        combo->addItems(*m_models);
        return combo;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override {
        static_cast<QComboBox *>(editor)->setCurrentText(index.data(Qt::EditRole).toString());
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override {
        model->setData(index, static_cast<QComboBox *>(editor)->currentText());
    }

private:
    const QStringList *m_models;
};
} // namespace

ModelMapPage::ModelMapPage(AppController &app, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
    , m_model(new ModelMapModel(this))
    , m_table(new QTableView)
    , m_default(new QComboBox)
    , m_validation(new QLabel)
    , m_lister(new ModelLister(this)) {
    auto *intro = new QLabel(
        tr("Claude Code asks for Claude models by name. Each rule maps a name or a glob "
           "(<code>claude-*haiku*</code>) to a model of your backend; the first matching rule wins, "
           "then the default model."));
    intro->setWordWrap(true);

    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(ModelMapModel::BackendModel,
                                      new BackendModelDelegate(&m_backendModels, this));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(ModelMapModel::MaxTokens,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ModelMapModel::Context, QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed);

    auto *add = new QPushButton(tr("Add rule"));
    auto *remove = new QPushButton(tr("Remove"));
    auto *up = new QPushButton(tr("Move up"));
    auto *down = new QPushButton(tr("Move down"));
    auto *refresh = new QPushButton(tr("Fetch backend models"));
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {add, remove, up, down})
        buttons->addWidget(b);
    buttons->addStretch();
    buttons->addWidget(refresh);

    m_default->setEditable(true);
    m_default->setMinimumWidth(260);
    m_default->lineEdit()->setPlaceholderText(tr("none: unmapped models get an error"));
    auto *form = new QFormLayout;
    form->addRow(tr("Default model:"), m_default);

    m_validation->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(m_validation);
    m_learned = new LearnedLimitsView(m_app.service());
    layout->addSpacing(8);
    layout->addWidget(m_learned);

    connect(add, &QPushButton::clicked, this, [this] {
        const int row =
            m_model->appendRule(ModelRule{QStringLiteral("claude-*"), m_backendModels.value(0), 0, 0});
        m_table->setCurrentIndex(m_model->index(row, ModelMapModel::Pattern));
        m_table->edit(m_table->currentIndex());
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentIndex().isValid())
            m_model->removeRow(m_table->currentIndex().row());
    });
    connect(up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelected(+1); });
    connect(refresh, &QPushButton::clicked, this, [this] { m_lister->list(m_app.config().backend); });
    connect(m_lister, &ModelLister::listed, this, &ModelMapPage::setBackendModels);
    connect(m_lister, &ModelLister::failed, this, [this](const QString &message) {
        m_validation->setText(
            tr("<span style='color:#c0392b'>Could not fetch the backend's models: %1</span>")
                .arg(message.toHtmlEscaped()));
    });
    connect(m_model, &ModelMapModel::rulesChanged, this, &ModelMapPage::commit);
    connect(m_default, &QComboBox::currentTextChanged, this, &ModelMapPage::commit);
    connect(&m_app, &AppController::configChanged, this, [this] {
        if (m_model->rules() != m_app.config().modelMap.rules ||
            m_default->currentText() != m_app.config().modelMap.defaultModel)
            load();
    });
    load();
}

void ModelMapPage::load() {
    m_loading = true;
    m_model->setRules(m_app.config().modelMap.rules);
    m_default->setCurrentText(m_app.config().modelMap.defaultModel);
    m_loading = false;
    commit();
}

void ModelMapPage::setBackendModels(const QStringList &models) {
    m_backendModels = models;
    const QString current = m_default->currentText();
    m_loading = true;
    m_default->clear();
    m_default->addItems(models);
    m_default->setCurrentText(current);
    m_loading = false;
    m_validation->setText(models.size() == 1 ? tr("The backend serves 1 model.")
                                             : tr("The backend serves %1 models.").arg(models.size()));
}

void ModelMapPage::commit() {
    if (m_loading)
        return;
    const QString problem = m_model->validationError();
    if (!problem.isEmpty()) {
        m_validation->setText(
            tr("<span style='color:#c0392b'>%1 The map is not applied until this is fixed.</span>")
                .arg(problem.toHtmlEscaped()));
        return;
    }
    m_validation->setText(
        m_model->rowCount() == 0 && m_default->currentText().trimmed().isEmpty()
            ? tr("<span style='color:#b9770e'>No rules and no default model: every request will be "
                 "refused until you add one.</span>")
            : tr("<span style='color:#2e7d32'>Applied.</span>"));
    m_app.setModelMap(m_model->rules(), m_default->currentText().trimmed());
}

void ModelMapPage::moveSelected(int delta) {
    const int row = m_table->currentIndex().row();
    if (row < 0)
        return;
    const int target = row + delta;
    if (target < 0 || target >= m_model->rowCount())
        return;
    m_model->moveRow({}, row, {}, delta > 0 ? target + 1 : target);
    m_table->setCurrentIndex(m_model->index(target, m_table->currentIndex().column()));
}

} // namespace modelrelay
