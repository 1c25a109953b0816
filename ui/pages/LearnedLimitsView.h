// "Learned from the backend": what the proxy learned per backend model (token estimate ratio,
// samples, output limit), kept current from ProxyService, with buttons to forget it.
#pragma once

#include <QWidget>

class QPushButton;
class QTableView;

namespace modelrelay {

class LearnedModelsModel;
class ProxyService;

class LearnedLimitsView : public QWidget {
    Q_OBJECT
public:
    explicit LearnedLimitsView(ProxyService &service, QWidget *parent = nullptr);

    LearnedModelsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *forgetSelectedButton() const { return m_forgetSelected; }
    QPushButton *forgetAllButton() const { return m_forgetAll; }

private:
    void forgetSelected();
    void updateButtons();

    ProxyService &m_service;
    LearnedModelsModel *m_model;
    QTableView *m_table;
    QPushButton *m_forgetSelected;
    QPushButton *m_forgetAll;
};

} // namespace modelrelay
