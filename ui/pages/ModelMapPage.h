// Edits the model map: ordered rules (Claude model or glob -> backend model, limits) and the
// default model, with the backend's own model list offered where it is known.
#pragma once

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace modelrelay {

class AppController;
class LearnedLimitsView;
class ModelMapModel;
class ModelLister;

class ModelMapPage : public QWidget {
    Q_OBJECT
public:
    explicit ModelMapPage(AppController &app, QWidget *parent = nullptr);

    ModelMapModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QComboBox *defaultModel() const { return m_default; }
    QLabel *validation() const { return m_validation; }
    LearnedLimitsView *learned() const { return m_learned; } // "Learned from the backend"
    void setBackendModels(const QStringList &models);

private:
    void load();
    void commit();
    void moveSelected(int delta);

    AppController &m_app;
    ModelMapModel *m_model;
    QTableView *m_table;
    QComboBox *m_default;
    QLabel *m_validation;
    QStringList m_backendModels;
    ModelLister *m_lister;
    LearnedLimitsView *m_learned = nullptr;
    bool m_loading = false;
};

} // namespace modelrelay
