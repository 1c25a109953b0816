#include "LoginItemAction.h"

#include <QMenu>
#include <QMessageBox>

namespace modelrelay {

LoginItemAction::LoginItemAction(QMenu *menu)
    : QAction(tr("Start at login"), menu) {
    setCheckable(true);
    menu->addAction(this);
    connect(menu, &QMenu::aboutToShow, this, &LoginItemAction::refresh);
    connect(this, &QAction::triggered, this, &LoginItemAction::apply);
    refresh();
}

void LoginItemAction::refresh() {
    setChecked(m_item.isEnabled());
}

void LoginItemAction::apply(bool enabled) {
    QString error;
    if (!m_item.setEnabled(enabled, &error)) {
        // Not modal: the tray menu has no window to block, and the proxy keeps serving meanwhile.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("ModelRelay"),
                                    enabled ? tr("ModelRelay could not be set to start at login.")
                                            : tr("ModelRelay could not be kept from starting at login."));
        box->setInformativeText(error);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->show();
    }
    refresh();
}

} // namespace modelrelay
