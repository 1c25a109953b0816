// Routing beyond the model map: which backend profile (and model) takes images, long prompts,
// thinking requests and background requests, and which backends to try, in order, when the
// chosen one fails before answering. Every edit applies at once.
#pragma once

#include "config/Routing.h"

#include <QList>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace modelrelay {

class AppController;

class RoutingPage : public QWidget {
    Q_OBJECT
public:
    explicit RoutingPage(AppController &app, QWidget *parent = nullptr);

    // One row per request class, in RequestClass order.
    struct ClassRow {
        RequestClass when;
        QCheckBox *enabled;
        QComboBox *profile;
        QComboBox *model;
        QComboBox *fallbackProfile; // first item: no fallback
        QComboBox *fallbackModel;
    };
    const ClassRow &row(RequestClass c) const { return m_rows.at(int(c)); }
    QSpinBox *longContextTokens() const { return m_longContext; }
    QTableWidget *fallbacks() const { return m_fallbacks; }
    QLabel *summary() const { return m_summary; }

    // The routing the page shows, as it would be applied.
    Routing routing() const;

public slots:
    void setBackendModels(const QStringList &models);
    void addFallback(const QString &profile = {}, const QString &model = {});

private:
    void load();
    void commit();
    void reloadProfileNames();
    QComboBox *newProfileCombo(bool withNone);
    QComboBox *newModelCombo();
    void fillProfileCombo(QComboBox *combo, const QString &selected);
    static void setModelText(QComboBox *combo, const QString &model);
    RouteTarget fallbackAt(int row) const;
    void moveFallback(int delta);
    void updateSummary();

    AppController &m_app;
    QList<ClassRow> m_rows;
    QSpinBox *m_longContext;
    QTableWidget *m_fallbacks;
    QLabel *m_summary;
    QStringList m_backendModels;
    // Targets past the first fallback of a rule (from ROUTES_JSON or a --config file), which the
    // page has no fields for: kept as they are.
    QList<QList<RouteTarget>> m_extraTargets;
    bool m_loading = false;
};

} // namespace modelrelay
