// The backend profiles: which one is used, and each one's kind, URL, key and limits, with a
// connection test that lists the backend's models and a self-test with Claude Code-shaped requests.
#pragma once

#include "SelfTestDialog.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace modelrelay {

class AppController;
class ModelLister;

class BackendsPage : public QWidget {
    Q_OBJECT
public:
    explicit BackendsPage(AppController &app, QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    QLineEdit *baseUrl() const { return m_url; }
    QLineEdit *apiKey() const { return m_key; }
    QComboBox *toolSchemas() const { return m_toolSchemas; }
    QCheckBox *reasoningEffort() const { return m_reasoningEffort; }
    QPushButton *useButton() const { return m_use; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *selfTestButton() const { return m_selfTest; }
    SelfTestDialog *selfTestDialog() const { return m_selfTestDialog; }
    QLabel *testResult() const { return m_result; }

signals:
    void modelsListed(const QStringList &models);

private:
    void reloadList();
    void showProfile(int row);
    bool saveEdits(); // false when the form holds something unusable (and says so)
    void runSelfTest();

    AppController &m_app;
    QListWidget *m_list;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QLineEdit *m_url;
    QLineEdit *m_key;
    QSpinBox *m_context;
    QSpinBox *m_maxTokens;
    QComboBox *m_toolSchemas;
    QCheckBox *m_reasoningEffort;
    QPushButton *m_use;
    QPushButton *m_test;
    QPushButton *m_selfTest;
    QPointer<SelfTestDialog> m_selfTestDialog;
    QLabel *m_result;
    ModelLister *m_lister;
    bool m_loading = false;
};

} // namespace modelrelay
