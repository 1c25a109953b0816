#include "server/BackendNetworkAccess.h"
#include "server/PlainHttpReply.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>
#include <functional>

using namespace modelrelay;

namespace {
// A server that answers each complete request on a connection with whatever the test says.
class ScriptedServer : public QObject {
public:
    // socket, the request's number on its connection (0, 1, ...), the request's bytes
    using Answer = std::function<void(QTcpSocket *, int, const QByteArray &)>;

    explicit ScriptedServer(Answer answer)
        : m_answer(std::move(answer)) {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                auto buffer = std::make_shared<QByteArray>();
                auto served = std::make_shared<int>(0);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer, served] {
                    *buffer += socket->readAll();
                    for (;;) {
                        const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
                        if (headEnd < 0)
                            return;
                        const QByteArray head = buffer->left(headEnd).toLower();
                        const qsizetype at = head.indexOf("content-length: ");
                        const qsizetype length =
                            at < 0 ? 0 : head.mid(at + 16, head.indexOf("\r\n", at) - at - 16).toLongLong();
                        if (buffer->size() < headEnd + 4 + length)
                            return;
                        const QByteArray request = buffer->left(headEnd + 4 + length);
                        buffer->remove(0, request.size());
                        requests.append(request);
                        m_answer(socket, (*served)++, request);
                    }
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    QUrl url(const QString &path = QStringLiteral("/v1/chat/completions")) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

    int connections = 0;
    QList<QByteArray> requests;

private:
    QTcpServer m_server;
    Answer m_answer;
};

QByteArray okJson(const QByteArray &body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QNetworkRequest jsonRequest(const QUrl &url) {
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer secret");
    return request;
}

// Waits for the reply to finish and returns everything it delivered.
QByteArray finish(QNetworkReply *reply) {
    QByteArray body;
    QObject::connect(reply, &QIODevice::readyRead, reply, [&] { body += reply->readAll(); });
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(5000);
    }
    body += reply->readAll();
    return body;
}
} // namespace

class TestBackendNetworkAccess : public QObject {
    Q_OBJECT
private slots:
    void postsAndKeepsTheConnectionAlive() {
        ScriptedServer server(
            [](QTcpSocket *socket, int, const QByteArray &) { socket->write(okJson("{\"ok\":1}")); });
        BackendNetworkAccess network;
        for (int i = 0; i < 3; ++i) {
            std::unique_ptr<QNetworkReply> reply(
                network.post(jsonRequest(server.url()), QByteArray("{\"n\":42}")));
            QVERIFY(qobject_cast<PlainHttpReply *>(reply.get()));
            QCOMPARE(finish(reply.get()), QByteArray("{\"ok\":1}"));
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            QCOMPARE(reply->rawHeader("content-type"), QByteArray("application/json"));
        }
        QCOMPARE(server.connections, 1);
        QCOMPARE(network.idleConnectionCount(), 1);
        const QByteArray request = server.requests.first();
        QVERIFY(request.startsWith("POST /v1/chat/completions HTTP/1.1\r\n"));
        QVERIFY(request.contains("\r\nHost: 127.0.0.1:"));
        // Header names are case-insensitive; Qt 6.7+ hands them over in lower case.
        const QByteArray lowered = request.toLower();
        QVERIFY(lowered.contains("\r\ncontent-type: application/json\r\n"));
        QVERIFY(lowered.contains("\r\nauthorization: bearer secret\r\n"));
        QVERIFY(request.contains("\r\nContent-Length: 8\r\n"));
        QVERIFY(request.endsWith("\r\n\r\n{\"n\":42}"));
    }

    void getHasNoBody() {
        ScriptedServer server(
            [](QTcpSocket *socket, int, const QByteArray &) { socket->write(okJson("[]")); });
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(
            network.get(QNetworkRequest(server.url(QStringLiteral("/v1/models?x=1")))));
        QCOMPARE(finish(reply.get()), QByteArray("[]"));
        QVERIFY(server.requests.first().startsWith("GET /v1/models?x=1 HTTP/1.1\r\n"));
        QVERIFY(!server.requests.first().contains("Content-Length"));
    }

    void deliversStreamedChunksAsTheyArrive() {
        QPointer<QTcpSocket> client;
        ScriptedServer server([&](QTcpSocket *socket, int, const QByteArray &) {
            client = socket;
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                "7\r\ndata: 1\r\n");
        });
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(network.post(jsonRequest(server.url()), QByteArray("{}")));
        QSignalSpy metaData(reply.get(), &QNetworkReply::metaDataChanged);
        QSignalSpy readyRead(reply.get(), &QIODevice::readyRead);
        QVERIFY(readyRead.wait(5000));
        QCOMPARE(metaData.size(), 1);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->readAll(), QByteArray("data: 1"));
        QVERIFY(reply->isRunning());
        client->write("7\r\ndata: 2\r\n0\r\n\r\n");
        QCOMPARE(finish(reply.get()), QByteArray("data: 2"));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(network.idleConnectionCount(), 1);
    }

    void retriesOnceWhenAKeptConnectionWasClosed() {
        // The server takes the second request on the kept connection and closes it unanswered, as
        // a server does whose idle timeout struck just then.
        ScriptedServer server([](QTcpSocket *socket, int index, const QByteArray &) {
            if (index == 1)
                socket->disconnectFromHost();
            else
                socket->write(okJson("{}"));
        });
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> first(network.post(jsonRequest(server.url()), QByteArray("{}")));
        QCOMPARE(finish(first.get()), QByteArray("{}"));
        std::unique_ptr<QNetworkReply> second(network.post(jsonRequest(server.url()), QByteArray("{}")));
        QCOMPARE(finish(second.get()), QByteArray("{}"));
        QCOMPARE(second->error(), QNetworkReply::NoError);
        QCOMPARE(server.connections, 2);
    }

    void bodyUntilTheServerCloses() {
        ScriptedServer server([](QTcpSocket *socket, int, const QByteArray &) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n{\"done\":true}\n");
            socket->disconnectFromHost();
        });
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(
            network.post(jsonRequest(server.url(QStringLiteral("/api/chat"))), "{}"));
        QCOMPARE(finish(reply.get()), QByteArray("{\"done\":true}\n"));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(network.idleConnectionCount(), 0);
    }

    void errorStatusKeepsItsBody() {
        ScriptedServer server([](QTcpSocket *socket, int, const QByteArray &) {
            socket->write(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 15\r\n\r\n{\"error\":\"bad\"}");
        });
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(network.post(jsonRequest(server.url()), "{}"));
        QCOMPARE(finish(reply.get()), QByteArray("{\"error\":\"bad\"}"));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 500);
        QCOMPARE(reply->error(), QNetworkReply::InternalServerError);
    }

    void streamCutShort() {
        ScriptedServer server([](QTcpSocket *socket, int, const QByteArray &) {
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n");
            socket->disconnectFromHost();
        });
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(network.post(jsonRequest(server.url()), "{}"));
        QCOMPARE(finish(reply.get()), QByteArray("data: 1"));
        QCOMPARE(reply->error(), QNetworkReply::RemoteHostClosedError);
    }

    void connectionRefused() {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(
            network.post(jsonRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port))), "{}"));
        QSignalSpy errors(reply.get(), &QNetworkReply::errorOccurred);
        finish(reply.get());
        QCOMPARE(reply->error(), QNetworkReply::ConnectionRefusedError);
        QCOMPARE(errors.size(), 1);
    }

    void abortClosesTheConnection() {
        QPointer<QTcpSocket> client;
        ScriptedServer server([&](QTcpSocket *socket, int, const QByteArray &) {
            client = socket;
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n");
        });
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(network.post(jsonRequest(server.url()), "{}"));
        QSignalSpy readyRead(reply.get(), &QIODevice::readyRead);
        QVERIFY(readyRead.wait(5000));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        reply->abort();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
        QVERIFY(!reply->isRunning());
        QTRY_VERIFY(!client);
        QCOMPARE(network.idleConnectionCount(), 0);
    }

    void leavesHttpsToQt() {
        BackendNetworkAccess network;
        std::unique_ptr<QNetworkReply> reply(
            network.post(jsonRequest(QUrl(QStringLiteral("https://127.0.0.1:1/v1"))), QByteArray("{}")));
        QVERIFY(!qobject_cast<PlainHttpReply *>(reply.get()));
        reply->abort();
    }

    void replyOutlivedByNothing() {
        // Deleting the manager with a request in flight must not crash.
        ScriptedServer server([](QTcpSocket *, int, const QByteArray &) {});
        auto network = std::make_unique<BackendNetworkAccess>();
        QPointer<QNetworkReply> reply = network->post(jsonRequest(server.url()), "{}");
        QTRY_COMPARE(server.requests.size(), 1);
        network.reset();
        QVERIFY(!reply);
    }
};

QTEST_GUILESS_MAIN(TestBackendNetworkAccess)
#include "tst_backendnetworkaccess.moc"
