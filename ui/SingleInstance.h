// One ModelRelay per user: the first instance holds a lock file and listens on a local socket;
// a second launch asks the first to show its window, then exits.
#pragma once

#include <QLockFile>
#include <QObject>
#include <memory>

class QLocalServer;

namespace modelrelay {

class SingleInstance : public QObject {
    Q_OBJECT
public:
    explicit SingleInstance(const QString &key, QObject *parent = nullptr);
    ~SingleInstance() override;

    // True when this process is the first one (and now owns the instance); otherwise the running
    // instance has been asked to show itself.
    bool claim();
    QString lockFilePath() const;

signals:
    void showRequested();

private:
    QString m_name;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server = nullptr;
};

} // namespace modelrelay
