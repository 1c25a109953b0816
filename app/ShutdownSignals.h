// Turns SIGINT/SIGTERM (Ctrl+C, service stop) into a clean QCoreApplication::quit().
#pragma once

#include <QObject>

class QSocketNotifier;

namespace modelrelay {

class ShutdownSignals : public QObject {
    Q_OBJECT
public:
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

signals:
    void shutdownRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace modelrelay
