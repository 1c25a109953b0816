// modelrelay-loadgen: keeps C keep-alive connections busy with the same HTTP POST and reports
// latency percentiles: time to the whole response, and time to the first content event
// (the first body bytes that contain --first-event-marker).
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <sys/resource.h>
#include <vector>

namespace {

struct Stats {
    std::vector<double> totalMs;
    std::vector<double> firstEventMs;
    int errors = 0;
};

double percentile(std::vector<double> values, double p) {
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    const std::size_t index = std::min(values.size() - 1, std::size_t(p * double(values.size() - 1) + 0.5));
    return values[index];
}

// This process's own CPU time, so the table can show the driver is not the bottleneck.
double ownCpuMillis() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto millis = [](const timeval &t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return millis(usage.ru_utime) + millis(usage.ru_stime);
}

class Worker : public QObject {
public:
    Worker(const QUrl &url, QByteArray request, QByteArray marker, int *remaining, Stats *stats,
           std::function<void()> done)
        : m_url(url)
        , m_request(std::move(request))
        , m_marker(std::move(marker))
        , m_remaining(remaining)
        , m_stats(stats)
        , m_done(std::move(done)) {
        connect(&m_socket, &QTcpSocket::connected, this, [this] { next(); });
        connect(&m_socket, &QTcpSocket::readyRead, this, [this] { onRead(); });
        connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
            ++m_stats->errors;
            m_done();
        });
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_socket.connectToHost(m_url.host(), quint16(m_url.port()));
    }

private:
    void next() {
        if (*m_remaining <= 0) {
            m_socket.disconnectFromHost();
            m_done();
            return;
        }
        --*m_remaining;
        m_buffer.clear();
        m_sawFirstEvent = false;
        m_clock.start();
        m_socket.write(m_request);
    }

    void onRead() {
        m_buffer += m_socket.readAll();
        if (!m_sawFirstEvent && m_buffer.contains(m_marker)) {
            m_sawFirstEvent = true;
            m_stats->firstEventMs.push_back(m_clock.nsecsElapsed() / 1e6);
        }
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QByteArray head = m_buffer.left(headerEnd).toLower();
        bool complete = false;
        const qsizetype lengthAt = head.indexOf("content-length:");
        if (lengthAt >= 0) {
            const qsizetype lineEnd = head.indexOf("\r\n", lengthAt);
            const qsizetype length =
                head.mid(lengthAt + 15, lineEnd < 0 ? -1 : lineEnd - lengthAt - 15).trimmed().toLongLong();
            complete = m_buffer.size() >= headerEnd + 4 + length;
        } else {
            complete = m_buffer.endsWith("\r\n0\r\n\r\n");
        }
        if (!complete)
            return;
        if (!head.startsWith("http/1.1 200"))
            ++m_stats->errors;
        m_stats->totalMs.push_back(m_clock.nsecsElapsed() / 1e6);
        next();
    }

    QUrl m_url;
    QByteArray m_request;
    QByteArray m_marker;
    int *m_remaining;
    Stats *m_stats;
    std::function<void()> m_done;
    QTcpSocket m_socket;
    QByteArray m_buffer;
    QElapsedTimer m_clock;
    bool m_sawFirstEvent = false;
};

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption url("url", "POST target", "url");
    const QCommandLineOption bodyFile("body", "request body file", "file");
    const QCommandLineOption concurrency("concurrency", "connections", "n", "1");
    const QCommandLineOption requests("requests", "total requests", "n", "200");
    const QCommandLineOption marker("marker", "bytes that mark the first content event", "text",
                                    "text_delta");
    const QCommandLineOption header("header", "extra header line", "line");
    parser.addOptions({url, bodyFile, concurrency, requests, marker, header});
    parser.process(app);

    QFile file(parser.value(bodyFile));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(parser.value(bodyFile)));
        return 1;
    }
    const QByteArray body = file.readAll();
    const QUrl target(parser.value(url));
    QByteArray request =
        "POST " + target.path(QUrl::FullyEncoded).toUtf8() + " HTTP/1.1\r\nHost: " + target.host().toUtf8() +
        ':' + QByteArray::number(target.port()) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const QString &line : parser.values(header))
        request += line.toUtf8() + "\r\n";
    request += "\r\n" + body;

    Stats stats;
    int remaining = parser.value(requests).toInt();
    const int connections = parser.value(concurrency).toInt();
    int running = connections;
    QElapsedTimer wall;
    wall.start();
    const double cpuAtStart = ownCpuMillis();
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < connections; ++i) {
        workers.push_back(
            std::make_unique<Worker>(target, request, parser.value(marker).toUtf8(), &remaining, &stats, [&] {
                if (--running == 0)
                    QTimer::singleShot(0, &app, &QCoreApplication::quit);
            }));
    }
    QTimer::singleShot(300000, &app, &QCoreApplication::quit);
    app.exec();
    const double seconds = wall.nsecsElapsed() / 1e9;
    const double driverCpuMs = ownCpuMillis() - cpuAtStart;

    const QJsonObject result{{"requests", int(stats.totalMs.size())},
                             {"errors", stats.errors},
                             {"p50_ms", percentile(stats.totalMs, 0.50)},
                             {"p99_ms", percentile(stats.totalMs, 0.99)},
                             {"first_event_p50_ms", percentile(stats.firstEventMs, 0.50)},
                             {"first_event_p99_ms", percentile(stats.firstEventMs, 0.99)},
                             {"rps", double(stats.totalMs.size()) / seconds},
                             {"seconds", seconds},
                             {"driver_cpu_ms", driverCpuMs}};
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return stats.errors == 0 ? 0 : 3;
}
