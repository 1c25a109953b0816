#include "ShutdownSignals.h"

#include <QSocketNotifier>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace modelrelay {

namespace {
ShutdownSignals *g_instance = nullptr;
#ifndef Q_OS_WIN
int g_pipe[2] = {-1, -1};

// Only async-signal-safe work here: the event loop reads the pipe.
void onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_pipe[1], &byte, 1);
}
#else
BOOL WINAPI onConsoleEvent(DWORD) {
    if (g_instance)
        QMetaObject::invokeMethod(g_instance, &ShutdownSignals::shutdownRequested, Qt::QueuedConnection);
    return TRUE;
}
#endif
} // namespace

ShutdownSignals::ShutdownSignals(QObject *parent)
    : QObject(parent) {
    g_instance = this;
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
#else
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) == 0) {
        m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            char byte;
            [[maybe_unused]] const auto read = ::read(g_pipe[0], &byte, 1);
            emit shutdownRequested();
        });
        struct sigaction action {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
    }
#endif
}

ShutdownSignals::~ShutdownSignals() {
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
#else
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    delete m_notifier;
    m_notifier = nullptr;
    for (int &fd : g_pipe) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
#endif
    g_instance = nullptr;
}

} // namespace modelrelay
