#include "BackendsPage.h"

#include "AppController.h"
#include "backends/ModelLister.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace modelrelay {

BackendsPage::BackendsPage(AppController &app, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
    , m_list(new QListWidget)
    , m_name(new QLineEdit)
    , m_kind(new QComboBox)
    , m_url(new QLineEdit)
    , m_key(new QLineEdit)
    , m_context(new QSpinBox)
    , m_maxTokens(new QSpinBox)
    , m_toolSchemas(new QComboBox)
    , m_reasoningEffort(new QCheckBox(tr("Pass Claude Code's reasoning effort on")))
    , m_use(new QPushButton(tr("Use this backend")))
    , m_test(new QPushButton(tr("Test connection")))
    , m_selfTest(new QPushButton(tr("Run self-test")))
    , m_result(new QLabel)
    , m_lister(new ModelLister(this)) {
    m_kind->addItem(tr("Ollama"), int(BackendKind::Ollama));
    m_kind->addItem(tr("OpenAI-compatible (llama.cpp, vLLM, LM Studio, OpenRouter…)"),
                    int(BackendKind::OpenAI));
    m_kind->addItem(tr("Anthropic-compatible (native /v1/messages)"), int(BackendKind::Anthropic));
    m_kind->setItemData(
        m_kind->count() - 1,
        tr("Servers that speak the Anthropic Messages API themselves: Ollama 0.14 or later "
           "(http://127.0.0.1:11434), llama.cpp server, vLLM, LM Studio (their own host:port)."),
        Qt::ToolTipRole);
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("none"));
    m_context->setRange(2048, 1048576);
    m_context->setSingleStep(4096);
    m_context->setSuffix(tr(" tokens"));
    m_context->setToolTip(
        tr("Ollama's num_ctx. Its own default is small and silently cuts Claude Code's long prompts."));
    m_maxTokens->setRange(0, 1048576);
    m_maxTokens->setSingleStep(1024);
    m_maxTokens->setSpecialValueText(tr("no cap"));
    m_maxTokens->setToolTip(
        tr("Claude Code asks for up to 128000 output tokens; many backends accept less."));
    for (const ToolSchemaPolicy policy :
         {ToolSchemaPolicy::Keep, ToolSchemaPolicy::Portable, ToolSchemaPolicy::Strict})
        m_toolSchemas->addItem(toolSchemaPolicyTitle(policy), int(policy));
    m_toolSchemas->setToolTip(
        tr("Keep: tool schemas as Claude Code sends them. Portable: without $schema, $id, $comment and "
           "propertyNames, which some servers reject. Strict: also without format, additionalProperties, "
           "pattern, default and other validation-only keywords, with references inlined and nullable "
           "types made plain, for Gemini-style validators (OpenRouter, LiteLLM) and grammar converters."));
    m_reasoningEffort->setToolTip(
        tr("OpenAI-compatible servers get reasoning_effort (low, medium, high); Ollama gets think "
           "(false when Claude Code asks for no thinking, a level for models such as gpt-oss). Turn it "
           "off for a server that refuses the field."));
    m_selfTest->setToolTip(
        tr("Sends Claude Code-shaped requests (tools, a tool result, streaming, count_tokens, "
           "an image, thinking) to this backend and its model, and reports what works."));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *add = new QPushButton(tr("Add"));
    auto *remove = new QPushButton(tr("Remove"));
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto *left = new QVBoxLayout;
    left->addWidget(new QLabel(tr("<b>Profiles</b>")));
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);

    auto *box = new QGroupBox(tr("Profile"));
    auto *form = new QFormLayout(box);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Kind:"), m_kind);
    form->addRow(tr("Base URL:"), m_url);
    form->addRow(tr("API key:"), m_key);
    form->addRow(tr("Context size (Ollama):"), m_context);
    form->addRow(tr("Max output tokens:"), m_maxTokens);
    form->addRow(tr("Tool schemas:"), m_toolSchemas);
    form->addRow(tr("Reasoning:"), m_reasoningEffort);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_use);
    actions->addWidget(m_test);
    actions->addWidget(m_selfTest);
    actions->addStretch();
    form->addRow(actions);
    form->addRow(m_result);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addWidget(box, 2);

    connect(m_list, &QListWidget::currentRowChanged, this, &BackendsPage::showProfile);
    for (QLineEdit *edit : {m_name, m_url, m_key})
        connect(edit, &QLineEdit::editingFinished, this, &BackendsPage::saveEdits);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        // A new kind with another kind's default URL gets its own default.
        const auto kind = BackendKind(m_kind->currentData().toInt());
        bool isADefault = m_url->text().isEmpty();
        for (const BackendKind other : {BackendKind::OpenAI, BackendKind::Ollama, BackendKind::Anthropic})
            isADefault = isADefault || m_url->text() == BackendProfile::defaultBaseUrl(other).toString();
        if (isADefault)
            m_url->setText(BackendProfile::defaultBaseUrl(kind).toString());
        saveEdits();
    });
    connect(m_context, &QSpinBox::editingFinished, this, &BackendsPage::saveEdits);
    connect(m_maxTokens, &QSpinBox::editingFinished, this, &BackendsPage::saveEdits);
    connect(m_toolSchemas, &QComboBox::currentIndexChanged, this, &BackendsPage::saveEdits);
    connect(m_reasoningEffort, &QCheckBox::toggled, this, &BackendsPage::saveEdits);
    connect(m_use, &QPushButton::clicked, this, [this] { m_app.setActiveProfile(m_list->currentRow()); });
    connect(m_test, &QPushButton::clicked, this, [this] {
        if (!saveEdits())
            return; // the form's problem is on screen; testing the old address would hide it
        m_result->setText(tr("Asking the backend for its models…"));
        m_lister->list(m_app.profiles().value(m_list->currentRow()));
    });
    connect(m_selfTest, &QPushButton::clicked, this, &BackendsPage::runSelfTest);
    connect(m_lister, &ModelLister::listed, this, [this](const QStringList &models) {
        m_result->setText(
            models.isEmpty()
                ? tr("<span style='color:#b9770e'>Connected, but the backend lists no models.</span>")
                : tr("<span style='color:#2e7d32'>Connected. %1 %2: %3</span>")
                      .arg(models.size())
                      .arg(models.size() == 1 ? tr("model") : tr("models"))
                      .arg(models.join(QStringLiteral(", ")).toHtmlEscaped()));
        emit modelsListed(models);
    });
    connect(m_lister, &ModelLister::failed, this, [this](const QString &message) {
        m_result->setText(tr("<span style='color:#c0392b'>%1</span>").arg(message.toHtmlEscaped()));
    });
    connect(add, &QPushButton::clicked, this, [this] {
        BackendProfile profile;
        profile.name = tr("New backend");
        const int row = m_app.addProfile(profile);
        m_list->setCurrentRow(row);
        m_name->setFocus();
        m_name->selectAll();
    });
    connect(remove, &QPushButton::clicked, this, [this] { m_app.removeProfile(m_list->currentRow()); });
    connect(&m_app, &AppController::profilesChanged, this, &BackendsPage::reloadList);
    reloadList();
}

void BackendsPage::reloadList() {
    const int keep = m_list->currentRow();
    m_loading = true;
    m_list->clear();
    const QList<BackendProfile> profiles = m_app.profiles();
    for (int i = 0; i < profiles.size(); ++i) {
        const BackendProfile &p = profiles.at(i);
        auto *item =
            new QListWidgetItem(p.name + (i == m_app.activeProfile() ? tr("  (in use)") : QString()));
        item->setToolTip(p.shownUrl());
        QFont font = item->font();
        font.setBold(i == m_app.activeProfile());
        item->setFont(font);
        m_list->addItem(item);
    }
    m_loading = false;
    m_list->setCurrentRow(keep >= 0 && keep < profiles.size() ? keep : m_app.activeProfile());
}

void BackendsPage::showProfile(int row) {
    if (m_loading || row < 0)
        return;
    const BackendProfile p = m_app.profiles().value(row);
    m_loading = true;
    m_name->setText(p.name);
    m_kind->setCurrentIndex(m_kind->findData(int(p.kind)));
    m_url->setText(p.baseUrl.toString());
    m_key->setText(p.apiKey);
    m_key->setToolTip(tr("Saved in %1").arg(m_app.apiKeysLocation()));
    m_context->setValue(p.ollamaContextSize);
    m_context->setEnabled(p.kind == BackendKind::Ollama);
    m_maxTokens->setValue(p.maxOutputTokens);
    m_toolSchemas->setCurrentIndex(m_toolSchemas->findData(int(p.toolSchemas)));
    m_reasoningEffort->setChecked(p.reasoningEffort);
    m_use->setEnabled(row != m_app.activeProfile());
    m_result->clear();
    m_loading = false;
}

void BackendsPage::runSelfTest() {
    if (!saveEdits())
        return; // the form's problem is on screen
    const BackendProfile profile = m_app.profiles().value(m_list->currentRow());
    ProxyConfig config = m_app.config(); // the model map, limits and token in effect
    config.backend = profile;
    if (!m_selfTestDialog)
        m_selfTestDialog = new SelfTestDialog(this);
    m_selfTestDialog->show();
    m_selfTestDialog->raise();
    m_selfTestDialog->run(profile.name, config);
}

bool BackendsPage::saveEdits() {
    const int row = m_list->currentRow();
    if (m_loading || row < 0)
        return false;
    BackendProfile p = m_app.profiles().value(row);
    const QUrl url(m_url->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty()) {
        m_result->setText(
            tr("<span style='color:#c0392b'>'%1' is not an http(s) URL, e.g. http://127.0.0.1:11434</span>")
                .arg(m_url->text().toHtmlEscaped()));
        return false;
    }
    p.name = m_name->text().trimmed().isEmpty() ? p.name : m_name->text().trimmed();
    p.kind = BackendKind(m_kind->currentData().toInt());
    p.baseUrl = url;
    p.apiKey = m_key->text().trimmed();
    p.ollamaContextSize = m_context->value();
    p.maxOutputTokens = m_maxTokens->value();
    p.toolSchemas = ToolSchemaPolicy(m_toolSchemas->currentData().toInt());
    p.reasoningEffort = m_reasoningEffort->isChecked();
    m_context->setEnabled(p.kind == BackendKind::Ollama);
    m_app.updateProfile(row, p);
    return true;
}

} // namespace modelrelay
