// The checkable "Start at login" menu entry. It reads the login item each time its menu opens
// (the desktop's own settings may have changed it) and reports a failed switch in a message box.
#pragma once

#include "LoginItem.h"

#include <QAction>

class QMenu;

namespace modelrelay {

class LoginItemAction : public QAction {
    Q_OBJECT
public:
    explicit LoginItemAction(QMenu *menu); // appends itself to menu

    void refresh();

private:
    void apply(bool enabled);

    LoginItem m_item;
};

} // namespace modelrelay
