#include "RoutingPage.h"

#include "AppController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr RequestClass kClasses[] = {RequestClass::Images, RequestClass::LongContext, RequestClass::Thinking,
                                     RequestClass::Background};

QString classHint(RequestClass c) {
    switch (c) {
    case RequestClass::Images:
        return RoutingPage::tr("The request carries an image: send it to a vision model.");
    case RequestClass::LongContext:
        return RoutingPage::tr("The estimated prompt is longer than the threshold below: send it to a "
                               "model with a large context window.");
    case RequestClass::Thinking:
        return RoutingPage::tr("Claude Code asked for extended thinking: send it to a reasoning model.");
    case RequestClass::Background:
        break;
    }
    return RoutingPage::tr("A haiku-class model name: Claude Code's titles, summaries and quick checks, "
                           "which a small fast model handles well.");
}

enum FallbackColumn { FallbackProfile, FallbackModel };

} // namespace

RoutingPage::RoutingPage(AppController &app, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
    , m_longContext(new QSpinBox)
    , m_fallbacks(new QTableWidget(0, 2))
    , m_summary(new QLabel) {
    auto *intro = new QLabel(
        tr("By default every request goes to the backend in use, with the model the model map names. "
           "Here some kinds of request can go elsewhere, and other backends can stand in when one fails. "
           "An empty model means: as the model map says."));
    intro->setWordWrap(true);

    auto *classes = new QGroupBox(tr("Send a kind of request elsewhere (the first that applies wins)"));
    auto *grid = new QGridLayout(classes);
    const QStringList headers = {tr("Requests"), tr("Backend"), tr("Model"), tr("If it fails: backend"),
                                 tr("Model")};
    for (int column = 0; column < headers.size(); ++column)
        grid->addWidget(new QLabel(u"<b>%1</b>"_s.arg(headers.at(column).toHtmlEscaped())), 0, column);
    for (const RequestClass c : kClasses) {
        ClassRow row{c,
                     new QCheckBox(requestClassTitle(c)),
                     newProfileCombo(false),
                     newModelCombo(),
                     newProfileCombo(true),
                     newModelCombo()};
        row.enabled->setToolTip(classHint(c));
        const int line = int(m_rows.size()) + 1;
        grid->addWidget(row.enabled, line, 0);
        grid->addWidget(row.profile, line, 1);
        grid->addWidget(row.model, line, 2);
        grid->addWidget(row.fallbackProfile, line, 3);
        grid->addWidget(row.fallbackModel, line, 4);
        connect(row.enabled, &QCheckBox::toggled, this, &RoutingPage::commit);
        for (QWidget *field :
             {static_cast<QWidget *>(row.profile), static_cast<QWidget *>(row.model),
              static_cast<QWidget *>(row.fallbackProfile), static_cast<QWidget *>(row.fallbackModel)}) {
            field->setEnabled(false);
            connect(row.enabled, &QCheckBox::toggled, field, &QWidget::setEnabled);
        }
        m_rows.append(row);
    }
    grid->setColumnStretch(1, 2);
    grid->setColumnStretch(2, 3);
    grid->setColumnStretch(3, 2);
    grid->setColumnStretch(4, 3);
    m_longContext->setRange(1000, 10'000'000);
    m_longContext->setSingleStep(8000);
    m_longContext->setGroupSeparatorShown(true);
    m_longContext->setSuffix(tr(" tokens"));
    m_longContext->setToolTip(tr("Prompts estimated above this count as long context."));
    auto *threshold = new QHBoxLayout;
    threshold->addWidget(new QLabel(tr("Long context means more than")));
    threshold->addWidget(m_longContext);
    threshold->addStretch();
    grid->addLayout(threshold, int(m_rows.size()) + 1, 0, 1, 5);
    connect(m_longContext, &QSpinBox::editingFinished, this, &RoutingPage::commit);

    auto *failover = new QGroupBox(tr("When the backend fails before answering, try these in order"));
    auto *failoverHint =
        new QLabel(tr("Used for requests no rule above took, when the backend cannot be reached, does not "
                      "answer in time, or answers 429 or 5xx before anything reached Claude Code. A stream "
                      "that already started is never switched."));
    failoverHint->setWordWrap(true);
    m_fallbacks->setHorizontalHeaderLabels({tr("Backend"), tr("Model")});
    m_fallbacks->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_fallbacks->verticalHeader()->setVisible(false);
    m_fallbacks->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_fallbacks->setSelectionMode(QAbstractItemView::SingleSelection);
    auto *add = new QPushButton(tr("Add backend"));
    auto *remove = new QPushButton(tr("Remove"));
    auto *up = new QPushButton(tr("Move up"));
    auto *down = new QPushButton(tr("Move down"));
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {add, remove, up, down})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *failoverLayout = new QVBoxLayout(failover);
    failoverLayout->addWidget(failoverHint);
    failoverLayout->addWidget(m_fallbacks, 1);
    failoverLayout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        addFallback();
        commit();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_fallbacks->currentRow() < 0)
            return;
        m_fallbacks->removeRow(m_fallbacks->currentRow());
        commit();
    });
    connect(up, &QPushButton::clicked, this, [this] { moveFallback(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveFallback(+1); });

    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(classes);
    layout->addWidget(failover, 1);
    layout->addWidget(m_summary);

    connect(&m_app, &AppController::profilesChanged, this, &RoutingPage::reloadProfileNames);
    connect(&m_app, &AppController::configChanged, this, [this] {
        if (m_app.config().routing != routing())
            load();
        else
            updateSummary();
    });
    load();
}

QComboBox *RoutingPage::newProfileCombo(bool withNone) {
    auto *combo = new QComboBox;
    combo->setProperty("withNone", withNone);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(12);
    connect(combo, &QComboBox::currentIndexChanged, this, &RoutingPage::commit);
    return combo;
}

QComboBox *RoutingPage::newModelCombo() {
    auto *combo = new QComboBox;
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(14);
    combo->lineEdit()->setPlaceholderText(tr("as the model map says"));
    combo->addItems(m_backendModels);
    combo->setCurrentIndex(-1);
    connect(combo->lineEdit(), &QLineEdit::editingFinished, this, &RoutingPage::commit);
    connect(combo, &QComboBox::activated, this, &RoutingPage::commit);
    return combo;
}

// The saved profiles by name, plus a name a route gives that no profile has (marked, and kept,
// so a renamed profile does not silently change the route).
void RoutingPage::fillProfileCombo(QComboBox *combo, const QString &selected) {
    const bool wasLoading = m_loading;
    m_loading = true;
    combo->clear();
    if (combo->property("withNone").toBool())
        combo->addItem(tr("— none —"), QString());
    for (const BackendProfile &profile : m_app.profiles())
        combo->addItem(profile.name, profile.name);
    int index = selected.isEmpty() && combo->property("withNone").toBool() ? 0 : -1;
    for (int i = 0; i < combo->count() && !selected.isEmpty(); ++i)
        if (combo->itemData(i).toString().compare(selected, Qt::CaseInsensitive) == 0)
            index = i;
    if (index < 0 && !selected.isEmpty()) {
        combo->addItem(tr("%1 (no such profile)").arg(selected), selected);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(qMax(index, 0));
    m_loading = wasLoading;
}

void RoutingPage::setModelText(QComboBox *combo, const QString &model) {
    const int index = model.isEmpty() ? -1 : combo->findText(model);
    combo->setCurrentIndex(index);
    combo->setEditText(model);
}

void RoutingPage::load() {
    m_loading = true;
    const Routing &routing = m_app.config().routing;
    m_extraTargets = QList<QList<RouteTarget>>(m_rows.size());
    for (ClassRow &row : m_rows) {
        const RouteRule *rule = nullptr;
        for (const RouteRule &r : routing.rules)
            if (r.when == row.when && !r.targets.isEmpty()) {
                rule = &r;
                break;
            }
        const RouteTarget primary =
            rule ? rule->targets.value(0) : RouteTarget{m_app.config().backend.name, {}};
        const RouteTarget fallback = rule ? rule->targets.value(1) : RouteTarget{};
        row.enabled->setChecked(rule != nullptr);
        fillProfileCombo(row.profile, primary.profile);
        setModelText(row.model, primary.model);
        fillProfileCombo(row.fallbackProfile, fallback.profile);
        setModelText(row.fallbackModel, fallback.model);
        if (rule && rule->targets.size() > 2)
            m_extraTargets[int(row.when)] = rule->targets.mid(2);
    }
    m_longContext->setValue(routing.longContextTokens);
    m_fallbacks->setRowCount(0);
    for (const RouteTarget &t : routing.fallbacks)
        addFallback(t.profile, t.model);
    m_loading = false;
    updateSummary();
}

void RoutingPage::reloadProfileNames() {
    m_loading = true;
    for (ClassRow &row : m_rows) {
        fillProfileCombo(row.profile, row.profile->currentData().toString());
        fillProfileCombo(row.fallbackProfile, row.fallbackProfile->currentData().toString());
    }
    for (int i = 0; i < m_fallbacks->rowCount(); ++i) {
        auto *combo = static_cast<QComboBox *>(m_fallbacks->cellWidget(i, FallbackProfile));
        fillProfileCombo(combo, combo->currentData().toString());
    }
    m_loading = false;
    commit(); // a rule may name a profile that was just renamed
}

void RoutingPage::addFallback(const QString &profile, const QString &model) {
    const int row = m_fallbacks->rowCount();
    m_fallbacks->insertRow(row);
    QComboBox *profiles = newProfileCombo(false);
    const bool wasLoading = m_loading;
    m_loading = true;
    // A new row suggests a backend other than the one in use: standing in for itself helps nobody.
    QString chosen = profile;
    if (chosen.isEmpty())
        for (const BackendProfile &p : m_app.profiles())
            if (p.name != m_app.config().backend.name) {
                chosen = p.name;
                break;
            }
    fillProfileCombo(profiles, chosen);
    QComboBox *models = newModelCombo();
    setModelText(models, model);
    m_loading = wasLoading;
    m_fallbacks->setCellWidget(row, FallbackProfile, profiles);
    m_fallbacks->setCellWidget(row, FallbackModel, models);
    m_fallbacks->setCurrentCell(row, FallbackProfile);
}

RouteTarget RoutingPage::fallbackAt(int row) const {
    const auto *profile = static_cast<QComboBox *>(m_fallbacks->cellWidget(row, FallbackProfile));
    const auto *model = static_cast<QComboBox *>(m_fallbacks->cellWidget(row, FallbackModel));
    return {profile->currentData().toString(), model->currentText().trimmed()};
}

void RoutingPage::moveFallback(int delta) {
    const int from = m_fallbacks->currentRow();
    const int to = from + delta;
    if (from < 0 || to < 0 || to >= m_fallbacks->rowCount())
        return;
    const RouteTarget moved = fallbackAt(from);
    const RouteTarget other = fallbackAt(to);
    m_loading = true;
    for (const auto &[line, target] : {std::pair{from, other}, std::pair{to, moved}}) {
        fillProfileCombo(static_cast<QComboBox *>(m_fallbacks->cellWidget(line, FallbackProfile)),
                         target.profile);
        setModelText(static_cast<QComboBox *>(m_fallbacks->cellWidget(line, FallbackModel)), target.model);
    }
    m_loading = false;
    m_fallbacks->setCurrentCell(to, FallbackProfile);
    commit();
}

Routing RoutingPage::routing() const {
    Routing routing;
    routing.longContextTokens = m_longContext->value();
    for (const ClassRow &row : m_rows) {
        if (!row.enabled->isChecked())
            continue;
        RouteRule rule{
            row.when,
            {RouteTarget{row.profile->currentData().toString(), row.model->currentText().trimmed()}}};
        const QString fallback = row.fallbackProfile->currentData().toString();
        if (!fallback.isEmpty())
            rule.targets.append(RouteTarget{fallback, row.fallbackModel->currentText().trimmed()});
        rule.targets += m_extraTargets.value(int(row.when));
        routing.rules.append(rule);
    }
    for (int i = 0; i < m_fallbacks->rowCount(); ++i) {
        const RouteTarget target = fallbackAt(i);
        if (!target.profile.isEmpty())
            routing.fallbacks.append(target);
    }
    return routing;
}

void RoutingPage::commit() {
    if (m_loading)
        return;
    m_app.setRouting(routing());
    updateSummary();
}

void RoutingPage::setBackendModels(const QStringList &models) {
    m_backendModels = models;
    QList<QComboBox *> combos;
    for (const ClassRow &row : m_rows)
        combos << row.model << row.fallbackModel;
    for (int i = 0; i < m_fallbacks->rowCount(); ++i)
        combos << static_cast<QComboBox *>(m_fallbacks->cellWidget(i, FallbackModel));
    m_loading = true;
    for (QComboBox *combo : combos) {
        const QString text = combo->currentText();
        combo->clear();
        combo->addItems(models);
        setModelText(combo, text);
    }
    m_loading = false;
}

// One sentence per active rule, so the page says in words what it will do.
void RoutingPage::updateSummary() {
    const Routing r = routing();
    QStringList lines;
    auto describe = [](const RouteTarget &t) {
        return t.model.isEmpty() ? tr("%1 (model from the model map)").arg(t.profile)
                                 : tr("%1, model %2").arg(t.profile, t.model);
    };
    for (const RouteRule &rule : r.rules) {
        QStringList chain;
        for (const RouteTarget &t : rule.targets)
            chain << describe(t);
        lines << tr("%1 → %2").arg(requestClassTitle(rule.when), chain.join(tr(", then ")));
    }
    QStringList fallbackChain;
    for (const RouteTarget &t : r.fallbacks)
        fallbackChain << describe(t);
    lines << (fallbackChain.isEmpty()
                  ? tr("Everything else → %1; no stand-in when it fails.").arg(m_app.config().backend.name)
                  : tr("Everything else → %1, then %2.")
                        .arg(m_app.config().backend.name, fallbackChain.join(tr(", then "))));
    m_summary->setText(lines.join(u'\n'));
}

} // namespace modelrelay
