#include "FakeBackend.h"

#include "FakeAnthropicWire.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace modelrelay::testing {

namespace {

// Ollama sends arguments as an object; what is not one (a model's broken output, as some servers
// pass it on) goes as the raw string.
QJsonValue ollamaArguments(const QByteArray &argumentsJson) {
    const QJsonDocument document = QJsonDocument::fromJson(argumentsJson);
    if (document.isObject() || argumentsJson.isEmpty())
        return document.object();
    return QString::fromUtf8(argumentsJson);
}

QByteArray compact(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QString lastUserText(const QJsonObject &request) {
    const QJsonArray messages = request.value("messages").toArray();
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject m = messages.at(i).toObject();
        if (m.value("role").toString() != "user")
            continue;
        const QJsonValue content = m.value("content");
        if (content.isString())
            return content.toString();
        QString text;
        for (const QJsonValue &part : content.toArray())
            text += part.toObject().value("text").toString();
        return text;
    }
    return {};
}

// OpenAI and Ollama nest the name in "function"; Anthropic does not.
QString toolName(const QJsonValue &tool) {
    const QJsonObject o = tool.toObject();
    return o.contains("function") ? o.value("function").toObject().value("name").toString()
                                  : o.value("name").toString();
}

// The backend's own URLs: the model list and the chat endpoint.
QByteArray modelsPath(FakeBackend::Kind kind) {
    return kind == FakeBackend::Kind::OpenAI   ? "/models"
           : kind == FakeBackend::Kind::Ollama ? "/api/tags"
                                               : "/v1/models";
}

QByteArray chatPath(FakeBackend::Kind kind) {
    return kind == FakeBackend::Kind::OpenAI   ? "/chat/completions"
           : kind == FakeBackend::Kind::Ollama ? "/api/chat"
                                               : "/v1/messages";
}

// The offered tool the user asks for: "[[tool]]" means the first one; "use the Read tool"
// names one, as a real model would read it.
QString requestedTool(const QJsonArray &tools, const QString &userText) {
    for (const QJsonValue &tool : tools) {
        const QString name = toolName(tool);
        if (!name.isEmpty() && userText.contains("the " + name + " tool", Qt::CaseInsensitive))
            return name;
    }
    if (!tools.isEmpty() && userText.contains("[[tool]]"))
        return toolName(tools.first());
    return {};
}

// The client's output limit, as a real model stops there: OpenAI's max_tokens (or
// max_completion_tokens), Ollama's options.num_predict; 0 when there is none.
int requestedTokenLimit(const QJsonObject &request) {
    for (const QJsonValue &limit : {request.value("max_tokens"), request.value("max_completion_tokens"),
                                    request.value("options").toObject().value("num_predict")}) {
        if (limit.toInt() > 0)
            return limit.toInt();
    }
    return 0;
}

} // namespace

QJsonObject FakeBackend::Recorded::json() const {
    return QJsonDocument::fromJson(body).object();
}

struct FakeBackend::Connection {
    QPointer<QTcpSocket> socket;
    QByteArray buffer;
    // A response is under way: pipelined requests wait in the buffer so answers keep their order.
    bool answering = false;
};

FakeBackend::FakeBackend(Kind kind, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_server(new QTcpServer(this)) {
    connect(m_server, &QTcpServer::newConnection, this, &FakeBackend::onNewConnection);
}

FakeBackend::~FakeBackend() = default;

bool FakeBackend::listen(quint16 port) {
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 FakeBackend::port() const {
    return m_server->serverPort();
}

QString FakeBackend::baseUrl() const {
    const QString root = QStringLiteral("http://127.0.0.1:%1").arg(port());
    return m_kind == Kind::OpenAI ? root + QStringLiteral("/v1") : root;
}

void FakeBackend::enqueue(const Reply &reply) {
    m_replies.enqueue(reply);
}

void FakeBackend::setDefaultAnswer(int words, int wordDelayMs, int firstByteDelayMs) {
    m_defaultWords = words;
    m_defaultWordDelayMs = wordDelayMs;
    m_defaultFirstByteDelayMs = firstByteDelayMs;
}

void FakeBackend::onNewConnection() {
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new Connection{socket, {}, false};
        socket->setParent(this);
        // Paced chunks are small writes spaced in time: with Nagle's algorithm each would wait for
        // the client's delayed ACK (40 ms on Linux), as real model servers do not make them wait.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(socket, &QTcpSocket::readyRead, this, [this, connection] { onReadyRead(connection); });
        connect(socket, &QTcpSocket::disconnected, this, [this, connection, socket] {
            if (connection->answering) {
                ++m_closedMidAnswer;
                emit clientClosedMidAnswer();
            }
            connection->answering = false;
            socket->deleteLater();
        });
        // The socket itself is the context: its destroyed() still runs when FakeBackend is torn down.
        connect(socket, &QObject::destroyed, socket, [connection] { delete connection; });
    }
}

void FakeBackend::onReadyRead(Connection *c) {
    c->buffer += c->socket->readAll();
    processBuffered(c);
}

void FakeBackend::processBuffered(Connection *c) {
    while (c->socket && !c->answering) {
        const qsizetype headerEnd = c->buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = c->buffer.left(headerEnd).split('\n');
        Recorded request;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                       lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = request.headers.value("content-length", "0").toLongLong();
        if (c->buffer.size() < headerEnd + 4 + length)
            return;
        request.body = c->buffer.mid(headerEnd + 4, length);
        c->buffer.remove(0, headerEnd + 4 + length);
        // Model lookups are kept apart, so tests can count the chat requests a proxy made.
        (request.path == "/api/show"   ? m_showRequests
         : request.path == "/tokenize" ? m_tokenizeRequests
                                       : m_requests)
            .append(request);
        emit requestReceived();
        handle(c, request);
    }
}

void FakeBackend::handle(Connection *c, const Recorded &request) {
    const qsizetype query = request.path.indexOf('?');
    const QByteArray path = query < 0 ? request.path : request.path.left(query);
    const bool openai = m_kind == Kind::OpenAI;
    if (request.method == "GET" && path.endsWith(modelsPath(m_kind))) {
        if (m_kind == Kind::Anthropic) {
            sendWhole(c, 200, "application/json", FakeAnthropicWire::modelList(), 0);
            return;
        }
        QJsonObject list;
        if (openai)
            list = QJsonObject{{"object", "list"},
                               {"data", QJsonArray{QJsonObject{{"id", "fake-model"}, {"object", "model"}}}}};
        else
            list = QJsonObject{{"models", QJsonArray{QJsonObject{{"name", "fake-model:latest"},
                                                                 {"model", "fake-model:latest"}}}}};
        sendWhole(c, 200, "application/json", compact(list), 0);
        return;
    }
    if (!openai && request.method == "POST" && path == "/api/show") {
        sendWhole(c, 200, "application/json", showAnswer(request.json()), 0);
        return;
    }
    if (request.method == "POST" && path == "/tokenize" && m_tokenizer != Tokenizer::None) {
        answerTokenize(c, request.json());
        return;
    }
    if (request.method != "POST" || !path.endsWith(chatPath(m_kind))) {
        // What the real servers answer to a wrong URL, so a misrouted proxy fails visibly.
        sendWhole(c, 404, "text/plain; charset=utf-8", "404 page not found", 0);
        return;
    }

    const QJsonObject json = request.json();
    const Reply reply = m_replies.isEmpty() ? defaultReply(json) : m_replies.dequeue();
    if (reply.status != 200 || !reply.rawBody.isEmpty()) {
        sendWhole(c, reply.status, reply.contentType, reply.rawBody, reply.firstByteDelayMs);
        return;
    }

    const bool stream = json.value("stream").toBool(m_kind == Kind::Ollama);
    if (!stream) {
        // A real model takes as long to write the answer whether it streams it or not.
        const int generationMs = reply.chunkDelayMs * int(reply.reasoning.size() + reply.text.size());
        sendWhole(c, 200, "application/json", completeAnswer(reply, json),
                  reply.firstByteDelayMs + generationMs);
        return;
    }
    sendChunks(c, streamChunks(reply, json), reply);
}

void FakeBackend::answerTokenize(Connection *c, const QJsonObject &request) {
    QJsonArray tokens;
    for (int i = 0; i < m_tokenizerCount; ++i)
        tokens.append(1000 + i);
    switch (m_tokenizer) {
    case Tokenizer::None:
        break;
    case Tokenizer::Hangs:
        c->answering = true; // and never answers
        return;
    case Tokenizer::Vllm:
        if (!request.contains("messages") && !request.contains("prompt")) {
            sendWhole(c, 400, "application/json", R"({"object":"error","message":"Field required"})", 0);
            return;
        }
        sendWhole(c, 200, "application/json",
                  compact({{"count", m_tokenizerCount}, {"max_model_len", 32768}, {"tokens", tokens}}), 0);
        return;
    case Tokenizer::LlamaCpp:
        sendWhole(c, 200, "application/json",
                  compact({{"tokens", request.contains("content") ? tokens : QJsonArray()}}), 0);
        return;
    }
}

void FakeBackend::sendWhole(Connection *c, int status, const QByteArray &contentType, const QByteArray &body,
                            int delayMs) {
    c->answering = true;
    QPointer<QTcpSocket> socket = c->socket;
    auto send = [this, c, socket, status, contentType, body] {
        if (!socket)
            return;
        socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                      "\r\nContent-Type: " + contentType +
                      "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        finishAnswer(c);
    };
    if (delayMs > 0)
        QTimer::singleShot(delayMs, this, send);
    else
        send();
}

void FakeBackend::finishAnswer(Connection *c) {
    c->answering = false;
    // Requests that were pipelined behind this answer are served now, in order, but not from
    // inside a timer callback of the answer that just ended.
    if (!c->buffer.isEmpty()) {
        QPointer<QTcpSocket> socket = c->socket;
        QTimer::singleShot(0, this, [this, c, socket] {
            if (socket)
                processBuffered(c);
        });
    }
}

// Ollama's /api/show: the context length the model was trained for, and its capabilities.
QByteArray FakeBackend::showAnswer(const QJsonObject &request) const {
    const QString model = request.value("model").toString();
    return compact(QJsonObject{{"details", QJsonObject{{"family", "fake"}, {"parameter_size", "1B"}}},
                               {"model_info", QJsonObject{{"general.architecture", "fake"},
                                                          {"fake.context_length", m_ollamaContextLength}}},
                               {"capabilities", QJsonArray{"completion", "tools"}},
                               {"model", model}});
}

int FakeBackend::defaultWordCount(const QJsonObject &request) const {
    const int limit = requestedTokenLimit(request);
    return limit > 0 ? qMin(m_defaultWords, limit) : m_defaultWords;
}

FakeBackend::Reply FakeBackend::defaultReply(const QJsonObject &request) const {
    Reply reply;
    reply.firstByteDelayMs = m_defaultFirstByteDelayMs;
    reply.chunkDelayMs = m_defaultWordDelayMs;
    const QJsonArray messages = request.value("messages").toArray();
    // Anthropic has no "tool" role: tool results are blocks of a user turn.
    const QString lastRole = FakeAnthropicWire::answersToolResult(request) ? QStringLiteral("tool")
                             : messages.isEmpty()                          ? QString()
                                                  : messages.last().toObject().value("role").toString();
    const QJsonArray tools = request.value("tools").toArray();
    const QString userText = lastUserText(request);
    if (lastRole != "tool" && userText.contains("[[error 500]]")) {
        reply.status = 500;
        reply.rawBody =
            m_kind == Kind::OpenAI
                ? R"({"error":{"message":"The fake backend failed on purpose","type":"server_error","param":null,"code":null}})"
                : R"({"error":"the fake backend failed on purpose"})";
        if (m_kind == Kind::Anthropic)
            reply.rawBody = FakeAnthropicWire::errorBody("api_error", "The fake backend failed on purpose");
        return reply;
    }
    if (lastRole == "tool") {
        reply.text = {"The file ", "says hello."};
    } else if (const QString name = requestedTool(tools, userText); !name.isEmpty()) {
        if (m_callsTools) {
            reply.text = {"Let me read it."};
            reply.toolCalls = {ToolCall{"call_fake_1", name, R"({"file_path":"/tmp/hello.txt"})", 3}};
        } else {
            reply.text = {"I would read", " /tmp/hello.txt with ", name + "."};
        }
    } else if (const int words = defaultWordCount(request); words > 0) {
        for (int i = 0; i < words; ++i)
            reply.text.append(i == 0 ? QStringLiteral("tok") : QStringLiteral(" tok"));
        reply.completionTokens = words;
    } else {
        const QString kindName = m_kind == Kind::OpenAI   ? "openai"
                                 : m_kind == Kind::Ollama ? "ollama"
                                                          : "anthropic";
        reply.text = {"Hello", " from the", " fake " + kindName, " backend."};
    }
    return reply;
}

QList<QByteArray> FakeBackend::streamChunks(const Reply &reply, const QJsonObject &request) const {
    if (m_kind == Kind::Anthropic)
        return FakeAnthropicWire::streamEvents(reply, request);
    const QString model = request.value("model").toString();
    QList<QByteArray> chunks;
    if (m_kind == Kind::OpenAI) {
        auto chunk = [&](const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null) {
            const QJsonObject choice{{"index", 0}, {"delta", delta}, {"finish_reason", finish}};
            const QJsonObject o{{"id", "chatcmpl-fake"},
                                {"object", "chat.completion.chunk"},
                                {"created", 1764000000},
                                {"model", model},
                                {"choices", QJsonArray{choice}}};
            return "data: " + compact(o) + "\n\n";
        };
        chunks.append(chunk(QJsonObject{{"role", "assistant"}, {"content", ""}}));
        for (const QString &r : reply.reasoning)
            chunks.append(chunk(QJsonObject{{"reasoning_content", r}}));
        for (const QString &t : reply.text)
            chunks.append(chunk(QJsonObject{{"content", t}}));
        for (int i = 0; i < reply.toolCalls.size(); ++i) {
            const ToolCall &call = reply.toolCalls[i];
            const QJsonObject first{{"index", i},
                                    {"id", call.id},
                                    {"type", "function"},
                                    {"function", QJsonObject{{"name", call.name}, {"arguments", ""}}}};
            chunks.append(chunk(QJsonObject{{"tool_calls", QJsonArray{first}}}));
            const int parts = qMax(1, call.fragments);
            const qsizetype step = (call.argumentsJson.size() + parts - 1) / parts;
            for (qsizetype pos = 0; pos < call.argumentsJson.size(); pos += step) {
                const QJsonObject fragment{
                    {"index", i},
                    {"function",
                     QJsonObject{{"arguments", QString::fromUtf8(call.argumentsJson.mid(pos, step))}}}};
                chunks.append(chunk(QJsonObject{{"tool_calls", QJsonArray{fragment}}}));
            }
        }
        const QString finish = !reply.finishReason.isEmpty() ? reply.finishReason
                               : reply.toolCalls.isEmpty()   ? QStringLiteral("stop")
                                                             : QStringLiteral("tool_calls");
        chunks.append(chunk(QJsonObject{}, finish));
        if (reply.includeUsage &&
            request.value("stream_options").toObject().value("include_usage").toBool()) {
            const QJsonObject usage{{"prompt_tokens", reply.promptTokens},
                                    {"completion_tokens", reply.completionTokens},
                                    {"total_tokens", reply.promptTokens + reply.completionTokens}};
            const QJsonObject o{{"id", "chatcmpl-fake"},   {"object", "chat.completion.chunk"},
                                {"created", 1764000000},   {"model", model},
                                {"choices", QJsonArray{}}, {"usage", usage}};
            chunks.append("data: " + compact(o) + "\n\n");
        }
        if (reply.sendDone)
            chunks.append("data: [DONE]\n\n");
        return chunks;
    }

    const QString createdAt = QStringLiteral("2026-11-25T05:00:00.000000Z");
    auto line = [&](const QJsonObject &message) {
        return compact(QJsonObject{
                   {"model", model}, {"created_at", createdAt}, {"message", message}, {"done", false}}) +
               '\n';
    };
    for (const QString &r : reply.reasoning)
        chunks.append(line(QJsonObject{{"role", "assistant"}, {"content", ""}, {"thinking", r}}));
    for (const QString &t : reply.text)
        chunks.append(line(QJsonObject{{"role", "assistant"}, {"content", t}}));
    if (!reply.toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const ToolCall &call : reply.toolCalls)
            calls.append(
                QJsonObject{{"function", QJsonObject{{"name", call.name},
                                                     {"arguments", ollamaArguments(call.argumentsJson)}}}});
        chunks.append(line(QJsonObject{{"role", "assistant"}, {"content", ""}, {"tool_calls", calls}}));
    }
    const QJsonObject done{
        {"model", model},
        {"created_at", createdAt},
        {"message", QJsonObject{{"role", "assistant"}, {"content", ""}}},
        {"done", true},
        {"done_reason", reply.finishReason.isEmpty() ? QStringLiteral("stop") : reply.finishReason},
        {"total_duration", 123456789},
        {"load_duration", 1234567},
        {"prompt_eval_count", reply.promptTokens},
        {"prompt_eval_duration", 2345678},
        {"eval_count", reply.completionTokens},
        {"eval_duration", 3456789}};
    chunks.append(compact(done) + '\n');
    return chunks;
}

QByteArray FakeBackend::completeAnswer(const Reply &reply, const QJsonObject &request) const {
    if (m_kind == Kind::Anthropic)
        return FakeAnthropicWire::message(reply, request);
    const QString text = reply.text.join(QString());
    if (m_kind == Kind::OpenAI) {
        QJsonObject message{{"role", "assistant"}, {"content", text}};
        QJsonArray calls;
        for (const ToolCall &call : reply.toolCalls)
            calls.append(
                QJsonObject{{"id", call.id},
                            {"type", "function"},
                            {"function", QJsonObject{{"name", call.name},
                                                     {"arguments", QString::fromUtf8(call.argumentsJson)}}}});
        if (!calls.isEmpty())
            message.insert("tool_calls", calls);
        const QString finish = !reply.finishReason.isEmpty() ? reply.finishReason
                               : calls.isEmpty()             ? QStringLiteral("stop")
                                                             : QStringLiteral("tool_calls");
        const QJsonObject choice{{"index", 0}, {"message", message}, {"finish_reason", finish}};
        return compact(QJsonObject{{"id", "chatcmpl-fake"},
                                   {"object", "chat.completion"},
                                   {"created", 1764000000},
                                   {"model", request.value("model")},
                                   {"choices", QJsonArray{choice}},
                                   {"usage", QJsonObject{{"prompt_tokens", reply.promptTokens},
                                                         {"completion_tokens", reply.completionTokens}}}});
    }
    QJsonObject message{{"role", "assistant"}, {"content", text}};
    QJsonArray calls;
    for (const ToolCall &call : reply.toolCalls)
        calls.append(
            QJsonObject{{"function", QJsonObject{{"name", call.name},
                                                 {"arguments", ollamaArguments(call.argumentsJson)}}}});
    if (!calls.isEmpty())
        message.insert("tool_calls", calls);
    return compact(QJsonObject{
        {"model", request.value("model")},
        {"created_at", "2026-11-25T05:00:00.000000Z"},
        {"message", message},
        {"done", true},
        {"done_reason", reply.finishReason.isEmpty() ? QStringLiteral("stop") : reply.finishReason},
        {"prompt_eval_count", reply.promptTokens},
        {"eval_count", reply.completionTokens}});
}

void FakeBackend::sendChunks(Connection *c, QList<QByteArray> chunks, const Reply &reply) {
    QPointer<QTcpSocket> socket = c->socket;
    const QByteArray contentType = m_kind == Kind::Ollama ? "application/x-ndjson" : "text/event-stream";
    auto writeHead = [socket, contentType] {
        if (socket)
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + contentType +
                          "\r\nTransfer-Encoding: chunked\r\n\r\n");
    };
    auto writeChunk = [socket](const QByteArray &data) {
        if (socket)
            socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    };
    auto finishBody = [this, socket, c] {
        if (!socket)
            return;
        socket->write("0\r\n\r\n");
        finishAnswer(c);
    };

    c->answering = true;
    if (reply.firstByteDelayMs == 0 && reply.chunkDelayMs == 0 && reply.cutAfterChunks < 0 &&
        reply.stallAfterChunks < 0) {
        writeHead();
        for (const QByteArray &chunk : std::as_const(chunks))
            writeChunk(chunk);
        finishBody();
        return;
    }

    // Paced: one chunk per timer tick, so the client sees the bytes arrive over time.
    struct Pacer {
        QList<QByteArray> chunks;
        int sent = 0;
        QElapsedTimer sinceHead; // chunk N is due N delays after the head, so late timers do not add up
    };
    auto pacer = std::make_shared<Pacer>(Pacer{std::move(chunks), 0, {}});
    auto step = std::make_shared<std::function<void()>>();
    // The pending timer owns the step; the step itself only holds a weak reference (no cycle).
    std::weak_ptr<std::function<void()>> weakStep = step;
    *step = [=, this] {
        if (!socket)
            return;
        if (reply.cutAfterChunks >= 0 && pacer->sent >= reply.cutAfterChunks) {
            c->answering = false; // the backend hung up: not the client's doing
            socket->abort();
            return;
        }
        if (reply.stallAfterChunks >= 0 && pacer->sent >= reply.stallAfterChunks)
            return; // keeps the connection open and silent
        if (pacer->sent >= pacer->chunks.size()) {
            finishBody();
            return;
        }
        writeChunk(pacer->chunks.at(pacer->sent++));
        const qint64 due = qint64(pacer->sent) * reply.chunkDelayMs;
        const int wait = int(qMax<qint64>(0, due - pacer->sinceHead.elapsed()));
        QTimer::singleShot(wait, this, [next = weakStep.lock()] { (*next)(); });
    };
    QTimer::singleShot(reply.firstByteDelayMs, this, [=] {
        writeHead();
        pacer->sinceHead.start();
        (*step)();
    });
}

} // namespace modelrelay::testing
