#include "GuiMain.h"

#include <QApplication>

namespace modelrelay {

int runGui(int &argc, char **argv, const LoadedConfig &loaded)
{
    Q_UNUSED(loaded);
    QApplication app(argc, argv);
    return 0; // replaced by the tray application
}

} // namespace modelrelay
