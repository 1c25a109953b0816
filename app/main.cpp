// The composition root: reads the configuration, then runs headless or as a tray application.
#include "ClaudeSetupRunner.h"
#include "HeadlessRunner.h"
#include "SelfTestRunner.h"
#include "config/ConfigLoader.h"
#include "config/KeychainSecretStore.h"
#include "config/SettingsStore.h"

#ifdef MODELRELAY_WITH_UI
#include "GuiMain.h"

#include <QApplication>
#endif

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStringList>
#include <cstdio>
#include <memory>

#ifdef Q_OS_WIN
#include <windows.h>
#endif

using namespace modelrelay;
using namespace Qt::Literals::StringLiterals;

namespace {

QStringList argumentList(int argc, char **argv) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
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

// On Windows modelrelay.exe is a GUI program (no console window for the tray app), which has no
// console of its own: --help, --headless and errors write to the terminal it was started from,
// unless their output is already redirected.
void useParentConsole() {
#ifdef Q_OS_WIN
    const bool outFree = GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)) == FILE_TYPE_UNKNOWN;
    const bool errFree = GetFileType(GetStdHandle(STD_ERROR_HANDLE)) == FILE_TYPE_UNKNOWN;
    if ((outFree || errFree) && AttachConsole(ATTACH_PARENT_PROCESS)) {
        FILE *reopened = nullptr;
        if (outFree)
            freopen_s(&reopened, "CONOUT$", "w", stdout);
        if (errFree)
            freopen_s(&reopened, "CONOUT$", "w", stderr);
    }
#endif
}

enum class Mode { ClaudeSetup, SelfTest, Gui, Headless };

Mode modeFor(const LaunchOptions &launch) {
    if (launch.claudeSetup != ClaudeSetupAction::None)
        return Mode::ClaudeSetup;
    if (launch.selfTest)
        return Mode::SelfTest;
#ifdef MODELRELAY_WITH_UI
    if (!launch.headless) {
        if (displayAvailable())
            return Mode::Gui;
        std::fputs("modelrelay: no display found, running headless (use --headless to say so)\n", stderr);
    }
#endif
    return Mode::Headless;
}

std::unique_ptr<QCoreApplication> createApplication(Mode mode, int &argc, char **argv) {
#ifdef MODELRELAY_WITH_UI
    if (mode == Mode::Gui)
        return std::make_unique<QApplication>(argc, argv);
#endif
    Q_UNUSED(mode)
    return std::make_unique<QCoreApplication>(argc, argv);
}

} // namespace

int main(int argc, char **argv) {
    useParentConsole();
    const QStringList arguments = argumentList(argc, argv);
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();

    // First without the saved settings: the launch options choose the application object, which
    // must exist before the saved settings are read (API keys come from the keychain's jobs).
    QString error;
    const auto launch = ConfigLoader::load(arguments, environment, ProxyConfig{}, &error);
    if (!launch) {
        std::fprintf(stderr, "modelrelay: %s\n", qPrintable(error));
        return 2;
    }
    if (launch->launch.showHelp) {
        std::fputs(qPrintable(ConfigLoader::helpText()), stdout);
        return 0;
    }
    if (launch->launch.showVersion) {
        std::printf("ModelRelay %s\n", MODELRELAY_VERSION);
        return 0;
    }

    const Mode mode = modeFor(launch->launch);
    const std::unique_ptr<QCoreApplication> app = createApplication(mode, argc, argv);
    const auto settings = SettingsStore::open(launch->launch.settingsPath, systemSecretStore());
    auto loaded = ConfigLoader::load(arguments, environment, settings->load(), &error);
    if (!loaded) {
        std::fprintf(stderr, "modelrelay: %s\n", qPrintable(error));
        return 2;
    }
    loaded->warnings.append(settings->takeWarnings());
    // What the proxy learns about models (token calibration, output limits) lives next to the settings.
    loaded->config.learnedFile = QFileInfo(settings->location()).dir().filePath(u"learned.ini"_s);

    switch (mode) {
    case Mode::ClaudeSetup:
        return ClaudeSetupRunner::run(*loaded);
    case Mode::SelfTest:
        return SelfTestRunner::run(*loaded);
#ifdef MODELRELAY_WITH_UI
    case Mode::Gui:
        return runGui(*loaded);
#endif
    default:
        return HeadlessRunner::run(*loaded);
    }
}
