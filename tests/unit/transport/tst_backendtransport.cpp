// The backend transports through real sockets: plain HTTP/1.1 kept alive in this thread, Qt's
// stack behind the same interface, and the choice between them.
#include "transport/BackendReply.h"
#include "transport/HttpConnectionCache.h"
#include "transport/PlainHttpTransport.h"
#include "transport/QtNetworkTransport.h"
#include "transport/TransportSelector.h"

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

BackendRequest jsonRequest(const QUrl &url, const QByteArray &body = "{}") {
    return {url, {{"Authorization", "Bearer secret"}}, body};
}

// Waits for the reply to finish and returns everything it delivered.
QByteArray finish(BackendReply *reply) {
    QByteArray body;
    QObject::connect(reply, &BackendReply::bytesArrived, reply, [&] { body += reply->readAll(); });
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &BackendReply::finished);
        finished.wait(5000);
    }
    body += reply->readAll();
    return body;
}

using Reply = std::unique_ptr<BackendReply>;
} // namespace

class TestBackendTransport : public QObject {
    Q_OBJECT
private slots:
    void postsAndKeepsTheConnectionAlive() {
        ScriptedServer server(
            [](QTcpSocket *socket, int, const QByteArray &) { socket->write(okJson("{\"ok\":1}")); });
        PlainHttpTransport transport;
        for (int i = 0; i < 3; ++i) {
            Reply reply(transport.post(jsonRequest(server.url(), "{\"n\":42}")));
            QCOMPARE(finish(reply.get()), QByteArray("{\"ok\":1}"));
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(reply->status(), 200);
            QCOMPARE(reply->header("content-type"), QByteArray("application/json"));
        }
        QCOMPARE(server.connections, 1);
        QCOMPARE(transport.connections().idleCount(), 1);
        const QByteArray request = server.requests.first();
        QVERIFY(request.startsWith("POST /v1/chat/completions HTTP/1.1\r\n"));
        QVERIFY(request.contains("\r\nHost: 127.0.0.1:"));
        QVERIFY(request.contains("\r\nContent-Type: application/json\r\n"));
        QVERIFY(request.contains("\r\nAuthorization: Bearer secret\r\n"));
        QVERIFY(request.contains("\r\nContent-Length: 8\r\n"));
        QVERIFY(request.endsWith("\r\n\r\n{\"n\":42}"));
    }

    void deliversStreamedChunksAsTheyArrive() {
        QPointer<QTcpSocket> client;
        ScriptedServer server([&](QTcpSocket *socket, int, const QByteArray &) {
            client = socket;
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                "7\r\ndata: 1\r\n");
        });
        PlainHttpTransport transport;
        Reply reply(transport.post(jsonRequest(server.url())));
        QSignalSpy head(reply.get(), &BackendReply::headReceived);
        QSignalSpy bytes(reply.get(), &BackendReply::bytesArrived);
        QVERIFY(bytes.wait(5000));
        QCOMPARE(head.size(), 1);
        QCOMPARE(reply->status(), 200);
        QCOMPARE(reply->readAll(), QByteArray("data: 1"));
        QVERIFY(!reply->isFinished());
        client->write("7\r\ndata: 2\r\n0\r\n\r\n");
        QCOMPARE(finish(reply.get()), QByteArray("data: 2"));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(transport.connections().idleCount(), 1);
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
        PlainHttpTransport transport;
        Reply first(transport.post(jsonRequest(server.url())));
        QCOMPARE(finish(first.get()), QByteArray("{}"));
        Reply second(transport.post(jsonRequest(server.url())));
        QCOMPARE(finish(second.get()), QByteArray("{}"));
        QCOMPARE(second->error(), QNetworkReply::NoError);
        QCOMPARE(server.connections, 2);
    }

    void bodyUntilTheServerCloses() {
        ScriptedServer server([](QTcpSocket *socket, int, const QByteArray &) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n{\"done\":true}\n");
            socket->disconnectFromHost();
        });
        PlainHttpTransport transport;
        Reply reply(transport.post(jsonRequest(server.url(QStringLiteral("/api/chat")))));
        QCOMPARE(finish(reply.get()), QByteArray("{\"done\":true}\n"));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(transport.connections().idleCount(), 0);
    }

    void errorStatusIsNoTransportError() {
        ScriptedServer server([](QTcpSocket *socket, int, const QByteArray &) {
            socket->write(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 15\r\n\r\n{\"error\":\"bad\"}");
        });
        PlainHttpTransport plain;
        QtNetworkTransport qt;
        for (BackendTransport *transport : std::initializer_list<BackendTransport *>{&plain, &qt}) {
            Reply reply(transport->post(jsonRequest(server.url())));
            QCOMPARE(finish(reply.get()), QByteArray("{\"error\":\"bad\"}"));
            QCOMPARE(reply->status(), 500);
            QCOMPARE(reply->error(), QNetworkReply::NoError);
        }
    }

    void streamCutShort() {
        ScriptedServer server([](QTcpSocket *socket, int, const QByteArray &) {
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n");
            socket->disconnectFromHost();
        });
        PlainHttpTransport transport;
        Reply reply(transport.post(jsonRequest(server.url())));
        QCOMPARE(finish(reply.get()), QByteArray("data: 1"));
        QCOMPARE(reply->error(), QNetworkReply::RemoteHostClosedError);
    }

    void unreadableHeadIsNoAnswer() {
        // A status line, then a head that never ends within its limit: the reader must not see a
        // status (it would start answering the client), but a failure it may still fall back from.
        ScriptedServer server([](QTcpSocket *socket, int, const QByteArray &) {
            socket->write("HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(80 * 1024, 'a'));
        });
        PlainHttpTransport transport;
        Reply reply(transport.post(jsonRequest(server.url())));
        QSignalSpy head(reply.get(), &BackendReply::headReceived);
        finish(reply.get());
        QCOMPARE(reply->error(), QNetworkReply::ProtocolFailure);
        QCOMPARE(reply->status(), 0);
        QCOMPARE(head.size(), 0);
        QVERIFY2(reply->errorString().contains("64 KB"), qPrintable(reply->errorString()));
    }

    void connectionRefused() {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        PlainHttpTransport transport;
        Reply reply(transport.post(jsonRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port)))));
        finish(reply.get());
        QCOMPARE(reply->error(), QNetworkReply::ConnectionRefusedError);
    }

    void abortClosesTheConnection() {
        QPointer<QTcpSocket> client;
        ScriptedServer server([&](QTcpSocket *socket, int, const QByteArray &) {
            client = socket;
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n");
        });
        PlainHttpTransport transport;
        Reply reply(transport.post(jsonRequest(server.url())));
        QSignalSpy bytes(reply.get(), &BackendReply::bytesArrived);
        QVERIFY(bytes.wait(5000));
        QSignalSpy finished(reply.get(), &BackendReply::finished);
        reply->abort();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
        QTRY_VERIFY(!client);
        QCOMPARE(transport.connections().idleCount(), 0);
    }

    void idleConnectionsAreClosedAfterABurst() {
        QList<QPointer<QTcpSocket>> clients;
        ScriptedServer server([&](QTcpSocket *socket, int index, const QByteArray &) {
            if (index == 0)
                clients.append(socket);
            socket->write(okJson("{}"));
        });
        PlainHttpTransport transport;
        transport.connections().setIdleTimeoutMs(300);
        std::vector<Reply> burst;
        for (int i = 0; i < 24; ++i) // more at once than the cache keeps
            burst.emplace_back(transport.post(jsonRequest(server.url())));
        for (Reply &reply : burst)
            QCOMPARE(finish(reply.get()), QByteArray("{}"));
        QCOMPARE(server.connections, 24);
        QCOMPARE(transport.connections().idleCount(), HttpConnectionCache::kMaxIdlePerServer);
        QTRY_COMPARE_WITH_TIMEOUT(transport.connections().idleCount(), 0, 3000);
        QTRY_VERIFY(std::none_of(clients.begin(), clients.end(), [](const auto &c) { return !c.isNull(); }));
    }

    void qtManagersAreReleasedAfterABurst() {
        ScriptedServer server(
            [](QTcpSocket *socket, int, const QByteArray &) { socket->write(okJson("{}")); });
        QtNetworkTransport transport;
        transport.setIdleTimeoutMs(200);
        std::vector<Reply> burst;
        for (int i = 0; i < 20; ++i) // six per manager
            burst.emplace_back(transport.post(jsonRequest(server.url())));
        QCOMPARE(transport.managerCount(), 4);
        for (Reply &reply : burst)
            QCOMPARE(finish(reply.get()), QByteArray("{}"));
        burst.clear();
        QTRY_COMPARE_WITH_TIMEOUT(transport.managerCount(), 1, 3000);
    }

    void selectorLeavesHttpsProxiesAndCredentialsToQt() {
        QVERIFY(TransportSelector::isPlainHttp(QUrl("http://127.0.0.1:11434")));
        QVERIFY(!TransportSelector::isPlainHttp(QUrl("https://openrouter.ai/api/v1")));
        QVERIFY(!TransportSelector::isPlainHttp(QUrl("http://user:pass@127.0.0.1:8080/v1")));
    }

    void replyOutlivedByNothing() {
        // Deleting the transport with a request in flight must not crash.
        ScriptedServer server([](QTcpSocket *, int, const QByteArray &) {});
        auto transport = std::make_unique<PlainHttpTransport>();
        QPointer<BackendReply> reply = transport->post(jsonRequest(server.url()));
        QTRY_COMPARE(server.requests.size(), 1);
        transport.reset();
        QVERIFY(!reply);
    }
};

QTEST_GUILESS_MAIN(TestBackendTransport)
#include "tst_backendtransport.moc"
