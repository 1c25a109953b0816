// Where clients come in: listens, accepts connections up to a cap (one more gets a clean 503 and
// is closed), never spins when the process runs out of descriptors (accepting pauses for a moment
// instead), and hands each connection to an HttpConnection that answers it through the handler.
#pragma once

#include "HttpLimits.h"
#include "config/ProxyConfig.h"

#include <QSet>
#include <QTcpServer>
#include <QTimer>

namespace modelrelay {

class HttpConnection;
class HttpRequestHandler;

class FrontDoor : public QTcpServer {
    Q_OBJECT
public:
    FrontDoor(HttpRequestHandler &handler, const HttpLimits &limits, QObject *parent = nullptr);
    ~FrontDoor() override;

    void setLimits(const HttpLimits &limits); // for connections accepted from now on
    int connectionCount() const { return int(m_connections.size()); }
    int answeringCount() const;
    // Stops taking requests: no new connections; idle ones close now, busy ones after their answer.
    void closeWhenIdle();

signals:
    void logMessage(modelrelay::LogLevel level, const QString &message);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuseOverCapacity(QTcpSocket *socket);
    void onAcceptError(QAbstractSocket::SocketError error);

    HttpRequestHandler &m_handler;
    HttpLimits m_limits;
    QSet<HttpConnection *> m_connections;
    int m_refusing = 0; // sockets being told "503" and closed
    QTimer m_resumeAccepting;
    bool m_closing = false;
};

} // namespace modelrelay
