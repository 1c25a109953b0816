#include "AboutDialog.h"

#include "UiResources.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QUrl>
#include <QVBoxLayout>

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

namespace {
const auto kLicenseLink = "license"_L1;
}

AboutDialog::AboutDialog(const QString &settingsLocation, QWidget *parent)
    : QDialog(parent)
    , m_description(new QLabel) {
    UiResources::ensureLoaded();
    setWindowTitle(tr("About ModelRelay"));

    auto *icon = new QLabel;
    icon->setPixmap(QIcon(u":/icons/modelrelay.svg"_s).pixmap(72, 72));
    icon->setAlignment(Qt::AlignTop);

    m_description->setTextFormat(Qt::RichText);
    m_description->setWordWrap(true);
    m_description->setMinimumWidth(420);
    m_description->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_description->setText(
        tr("<h3>ModelRelay %1</h3>"
           "<p>Run Claude Code on the models you choose: Ollama or any OpenAI-compatible server.</p>"
           "<p>Copyright © 2026 the ModelRelay developers.</p>"
           "<p>ModelRelay is licensed under the <b>GNU General Public License v3.0</b>. "
           "It comes with ABSOLUTELY NO WARRANTY. Read the <a href='%2'>LICENSE</a>, or "
           "<a href='https://www.gnu.org/licenses/gpl-3.0.html'>gnu.org/licenses/gpl-3.0</a>.</p>"
           "<p>Built with Qt %3, running on Qt %4.<br>Settings: %5</p>")
            .arg(QStringLiteral(MODELRELAY_VERSION), kLicenseLink, QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion()), settingsLocation.toHtmlEscaped()));
    connect(m_description, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == kLicenseLink)
            showLicense();
        else
            QDesktopServices::openUrl(QUrl(link));
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *row = new QHBoxLayout;
    row->addWidget(icon);
    row->addWidget(m_description, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

QString AboutDialog::licenseText() {
    UiResources::ensureLoaded();
    QFile file(u":/LICENSE"_s);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll());
}

void AboutDialog::showLicense() {
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("ModelRelay — GNU General Public License v3.0"));
    auto *text = new QPlainTextEdit(licenseText());
    text->setReadOnly(true);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->resize(640, 560);
    dialog->show();
}

} // namespace modelrelay
