#include "ClaudeCodePage.h"

#include "AppController.h"
#include "ClaudeCodeTerminal.h"
#include "config/ClaudeCodeSetup.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {

QString jsonString(const QString &text) {
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.sliced(1, array.size() - 2));
}

QLabel *wrappingLabel() {
    auto *label = new QLabel;
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ClaudeCodePage::ClaudeCodePage(AppController &app, const QString &settingsPath,
                               const QString &terminalSettingsPath, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
    , m_file(settingsPath, ClaudeCodeSetup::managedVariables())
    , m_terminalSettingsPath(terminalSettingsPath)
    , m_watcher(new QFileSystemWatcher(this))
    , m_status(wrappingLabel())
    , m_path(wrappingLabel())
    , m_preview(new QPlainTextEdit)
    , m_result(wrappingLabel())
    , m_apply(new QPushButton(tr("&Apply to Claude Code")))
    , m_restore(new QPushButton(tr("&Restore previous")))
    , m_terminal(new QPushButton(tr("Open a &terminal with Claude Code"))) {
    auto *intro = wrappingLabel();
    intro->setText(
        tr("Claude Code reads its connection from the \"env\" block of its settings file. "
           "<b>Apply</b> writes this proxy's address and key there (every other setting stays; the "
           "previous values are kept for <b>Restore</b>). Or leave the file alone and open a terminal "
           "whose Claude Code uses this proxy."));
    intro->setTextFormat(Qt::RichText);
    m_status->setAccessibleName(tr("Where Claude Code goes"));
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);

    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setAccessibleName(tr("What Apply writes"));
    // Five variables at most: room for them, not for a scroll bar or empty space.
    m_preview->setFixedHeight(m_preview->fontMetrics().lineSpacing() * 6 + 2 * m_preview->frameWidth() + 8);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);

    m_apply->setToolTip(tr("Write ModelRelay's address, key and limits into Claude Code's settings file"));
    m_restore->setToolTip(tr("Put back the values Claude Code's settings had before Apply"));
    m_terminal->setToolTip(
        tr("A new terminal running claude with this proxy, without touching its settings"));
    connect(m_apply, &QPushButton::clicked, this, &ClaudeCodePage::applyToClaudeCode);
    connect(m_restore, &QPushButton::clicked, this, &ClaudeCodePage::restorePrevious);
    connect(m_terminal, &QPushButton::clicked, this, &ClaudeCodePage::openTerminal);

    auto *statusBox = new QGroupBox(tr("Claude Code now"));
    auto *statusLayout = new QVBoxLayout(statusBox);
    statusLayout->addWidget(m_status);
    statusLayout->addWidget(m_path);

    auto *applyBox = new QGroupBox(tr("Claude Code's settings file"));
    auto *applyLayout = new QVBoxLayout(applyBox);
    applyLayout->addWidget(new QLabel(tr("Apply sets in its \"env\" block:")));
    applyLayout->addWidget(m_preview);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_apply);
    buttons->addWidget(m_restore);
    buttons->addStretch();
    applyLayout->addLayout(buttons);

    auto *terminalBox = new QGroupBox(tr("Without changing the file"));
    auto *terminalLayout = new QVBoxLayout(terminalBox);
    auto *terminalNote = wrappingLabel();
    terminalNote->setText(
        tr("Opens your terminal with these variables set and runs claude in it; when Claude "
           "Code exits, the shell stays open with the same environment."));
    terminalLayout->addWidget(terminalNote);
    auto *terminalButtons = new QHBoxLayout;
    terminalButtons->addWidget(m_terminal);
    terminalButtons->addStretch();
    terminalLayout->addLayout(terminalButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(statusBox);
    layout->addWidget(applyBox);
    layout->addWidget(terminalBox);
    layout->addWidget(m_result);
    layout->addStretch();

    // Claude Code, another tool or the user may change the file at any time.
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ClaudeCodePage::refresh);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &ClaudeCodePage::refresh);
    connect(&m_app, &AppController::configChanged, this, &ClaudeCodePage::refresh);
    connect(&m_app, &AppController::stateChanged, this, &ClaudeCodePage::refresh);
    refresh();
}

void ClaudeCodePage::showEvent(QShowEvent *event) {
    refresh();
    QWidget::showEvent(event);
}

void ClaudeCodePage::watch() {
    const QString directory = QFileInfo(m_file.path()).absolutePath();
    if (!m_watcher->directories().contains(directory) && QFileInfo::exists(directory))
        m_watcher->addPath(directory);
    if (!m_watcher->files().contains(m_file.path()) && QFileInfo::exists(m_file.path()))
        m_watcher->addPath(m_file.path());
}

void ClaudeCodePage::refresh() {
    watch();
    const ClaudeCodeSetup::Environment environment = m_app.claudeCodeEnvironment();
    const QList<ClaudeCodeSetup::Variable> variables = ClaudeCodeSetup::variables(environment);
    const ClaudeSettingsFile::Status status = m_file.status(variables);
    using Target = ClaudeSettingsFile::Target;
    QString text;
    switch (status.target) {
    case Target::ThisProxy:
        text = tr("✓ Claude Code uses this proxy (%1).").arg(status.baseUrl);
        break;
    case Target::ThisProxyStale:
        text = tr("⚠ Claude Code uses this proxy (%1), but with an older key or limits: apply again.")
                   .arg(status.baseUrl);
        break;
    case Target::Elsewhere:
        text = tr("• Claude Code goes to another server: %1").arg(status.baseUrl);
        break;
    case Target::Anthropic:
        text = tr("• Claude Code's settings do not name a server: it talks to Anthropic (unless its terminal "
                  "sets ANTHROPIC_BASE_URL).");
        break;
    case Target::Unreadable:
        text = tr("⚠ Claude Code's settings file cannot be used: %1. Fix it in an editor (or move it away); "
                  "ModelRelay will not write over it.")
                   .arg(status.problem);
        break;
    }
    m_status->setText(text);
    m_path->setText(status.exists ? tr("Settings file: %1").arg(QDir::toNativeSeparators(m_file.path()))
                                  : tr("Settings file: %1 (not there yet; Apply creates it)")
                                        .arg(QDir::toNativeSeparators(m_file.path())));
    QStringList lines;
    for (const auto &[name, value] : variables) {
        // The access token is a secret: it goes into the file, not onto the screen.
        const bool secret = name == "ANTHROPIC_AUTH_TOKEN"_L1 && !environment.apiKey.isEmpty();
        lines << u"%1: %2"_s.arg(jsonString(name), secret ? tr("(the access token)") : jsonString(value));
    }
    m_preview->setPlainText(lines.join(u'\n'));
    m_apply->setEnabled(status.target != Target::Unreadable && status.target != Target::ThisProxy);
    m_restore->setEnabled(status.canRestore && status.target != Target::Unreadable);
}

void ClaudeCodePage::applyToClaudeCode() {
    QString message;
    const bool ok = m_file.apply(ClaudeCodeSetup::variables(m_app.claudeCodeEnvironment()), &message);
    showResult(ok, message);
    refresh();
}

void ClaudeCodePage::restorePrevious() {
    QString message;
    const bool ok = m_file.restore(&message);
    showResult(ok, message);
    refresh();
}

void ClaudeCodePage::openTerminal() {
    ClaudeCodeTerminal::Request request;
    request.variables = ClaudeCodeSetup::variables(m_app.claudeCodeEnvironment());
    request.settingsPath = m_terminalSettingsPath;
    QString message;
    const bool ok = ClaudeCodeTerminal::open(request, &message);
    showResult(ok, message);
}

void ClaudeCodePage::showResult(bool ok, const QString &message) {
    m_result->setText((ok ? u"✓ "_s : u"✗ "_s) + message);
}

} // namespace modelrelay
