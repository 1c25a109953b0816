// The About box: version, what ModelRelay is, and its licence (GPL-3.0), with the full LICENSE
// text compiled in so it can be shown on every platform.
#pragma once

#include <QDialog>

class QLabel;

namespace modelrelay {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(const QString &settingsLocation, QWidget *parent = nullptr);

    QLabel *description() const { return m_description; }
    static QString licenseText();
    void showLicense();

private:
    QLabel *m_description;
};

} // namespace modelrelay
