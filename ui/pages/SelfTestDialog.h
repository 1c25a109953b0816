// Shows the self-test of one backend profile as it runs: one row per capability with its
// result, time and reason. The run happens on the event loop; the window never blocks.
#pragma once

#include "config/ProxyConfig.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableWidget;

namespace modelrelay {

class SelfTest;
struct SelfTestResult;

class SelfTestDialog : public QDialog {
    Q_OBJECT
public:
    explicit SelfTestDialog(QWidget *parent = nullptr);

    void run(const QString &profileName, const ProxyConfig &config);
    bool isRunning() const;

    QTableWidget *table() const { return m_table; }
    QLabel *summary() const { return m_summary; }
    QPushButton *runAgainButton() const { return m_runAgain; }

signals:
    void selfTestFinished(bool allRequiredPassed);

private:
    void addRow(const SelfTestResult &result);

    SelfTest *m_selfTest;
    QLabel *m_heading;
    QLabel *m_summary;
    QTableWidget *m_table;
    QPushButton *m_runAgain;
    QString m_profileName;
    ProxyConfig m_config;
};

} // namespace modelrelay
