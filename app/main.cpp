// The composition root: reads the configuration, then runs headless or as a tray application.
#include "HeadlessRunner.h"
#include "config/ConfigLoader.h"
#include "config/SettingsStore.h"

#ifdef MODELRELAY_WITH_UI
#include "GuiMain.h"
#endif

#include <QProcessEnvironment>
#include <QStringList>
#include <cstdio>

using namespace modelrelay;
using namespace Qt::Literals::StringLiterals;

namespace {

QStringList argumentList(int argc, char **argv) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

// The saved settings path may itself be given on the command line.
QString settingsPathFrom(const QStringList &arguments) {
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if ((a == "--settings"_L1 || a == "-settings"_L1) && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (a.startsWith("--settings="_L1))
            return a.mid(11);
    }
    return {};
}

bool displayAvailable() {
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    return !env.value(u"DISPLAY"_s).isEmpty() || !env.value(u"WAYLAND_DISPLAY"_s).isEmpty() ||
           env.value(u"QT_QPA_PLATFORM"_s) == "offscreen"_L1;
#else
    return true;
#endif
}

} // namespace

int main(int argc, char **argv) {
    const QStringList arguments = argumentList(argc, argv);
    const QString settingsPath = settingsPathFrom(arguments);
    const ProxyConfig saved =
        settingsPath.isEmpty() ? SettingsStore().load() : SettingsStore(settingsPath).load();

    QString error;
    auto loaded = ConfigLoader::load(arguments, QProcessEnvironment::systemEnvironment(), saved, &error);
    if (!loaded) {
        std::fprintf(stderr, "modelrelay: %s\n", qPrintable(error));
        return 2;
    }
    if (loaded->launch.showHelp) {
        std::fputs(qPrintable(ConfigLoader::helpText()), stdout);
        return 0;
    }
    if (loaded->launch.showVersion) {
        std::printf("ModelRelay %s\n", MODELRELAY_VERSION);
        return 0;
    }

#ifdef MODELRELAY_WITH_UI
    if (!loaded->launch.headless) {
        if (displayAvailable())
            return runGui(argc, argv, *loaded);
        std::fputs("modelrelay: no display found, running headless (use --headless to say so)\n", stderr);
    }
#endif
    return HeadlessRunner::run(argc, argv, *loaded);
}
