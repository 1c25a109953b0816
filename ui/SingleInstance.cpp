#include "SingleInstance.h"

#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

namespace modelrelay {

SingleInstance::SingleInstance(const QString &key, QObject *parent)
    : QObject(parent)
    , m_name(QStringLiteral("modelrelay-%1").arg(key)) {}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::lockFilePath() const {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
    return QDir(dir).filePath(m_name + QStringLiteral(".lock"));
}

bool SingleInstance::claim() {
    m_lock = std::make_unique<QLockFile>(lockFilePath());
    // Stale only when its process is gone (or the machine rebooted): an instance runs for days.
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(100)) {
        QLocalSocket socket;
        socket.connectToServer(m_name);
        if (socket.waitForConnected(1000)) {
            socket.write("show\n");
            socket.waitForBytesWritten(1000);
        }
        return false;
    }
    QLocalServer::removeServer(m_name); // a crashed instance may have left its socket behind
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (socket->readAll().contains("show"))
                    emit showRequested();
                socket->deleteLater();
            });
        }
    });
    m_server->listen(m_name);
    return true;
}

} // namespace modelrelay
