// A model server for tests and benchmarks that speaks the exact OpenAI Chat Completions (SSE),
// Ollama /api/chat (NDJSON) or Anthropic /v1/messages (SSE) wire format over real sockets, records
// what it was sent, and answers from a script: text, reasoning, tool calls split into fragments,
// errors, delays, cut connections and stalls.
//
// With no scripted reply queued it answers by itself: after a tool result, "The file says hello.";
// when tools are offered and the last user text contains "[[tool]]" (or "the <Name> tool" for an
// offered tool), a call of the first (or that) tool with {"file_path":"/tmp/hello.txt"}, or, after
// setCallsTools(false), a plain-text answer as weak models give; when it contains "[[error 500]]",
// an HTTP 500 in the backend's own error format; else "Hello from the fake <kind> backend." in
// several chunks (or N words with setDefaultAnswer). Only the backend's own URLs are served (POST
// .../chat/completions and GET .../models, POST /api/chat, POST /api/show and GET /api/tags, or
// POST /v1/messages and GET /v1/models); anything else gets a 404.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QString>
#include <QStringList>

class QTcpServer;
class QTcpSocket;

namespace modelrelay::testing {

class FakeBackend : public QObject {
    Q_OBJECT
public:
    enum class Kind { OpenAI, Ollama, Anthropic };
    // Opt-in POST /tokenize at the server root, as vLLM and llama.cpp server serve it.
    enum class Tokenizer { None, Vllm, LlamaCpp, Hangs };

    struct ToolCall {
        QString id; // OpenAI only; Ollama sends none
        QString name;
        QByteArray argumentsJson; // sent as is: may be broken JSON (Ollama: then as a string)
        int fragments = 3;        // OpenAI: the arguments string is split into this many chunks
    };

    struct Reply {
        int status = 200;
        QByteArray rawBody; // sent as is (with contentType) when non-empty, or when status != 200
        QByteArray contentType = "application/json";
        QStringList reasoning;
        QStringList text;
        QList<ToolCall> toolCalls;
        QString finishReason; // "" = derived: "tool_calls"/"stop" (OpenAI), "stop" (Ollama)
        int promptTokens = 12;
        int completionTokens = 7;
        int firstByteDelayMs = 0;
        int chunkDelayMs = 0;
        int cutAfterChunks = -1;   // close the connection after this many body chunks
        int stallAfterChunks = -1; // stop sending (keep the connection open) after this many
        bool sendDone = true;      // OpenAI "data: [DONE]"
        bool includeUsage = true;  // when the client asked for it
    };

    struct Recorded {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
        QJsonObject json() const;
    };

    explicit FakeBackend(Kind kind, QObject *parent = nullptr);
    ~FakeBackend() override;

    bool listen(quint16 port = 0);
    quint16 port() const;
    QString baseUrl() const; // OpenAI: http://127.0.0.1:PORT/v1, Ollama and Anthropic: http://127.0.0.1:PORT
    Kind kind() const { return m_kind; }

    void enqueue(const Reply &reply);
    QList<Recorded> requests() const { return m_requests; }                 // all but Ollama's /api/show
    QList<Recorded> showRequests() const { return m_showRequests; }         // Ollama's POST /api/show
    QList<Recorded> tokenizeRequests() const { return m_tokenizeRequests; } // POST /tokenize
    int clientsClosedMidAnswer() const { return m_closedMidAnswer; }

    // For the command-line server and the benchmark: default answers of N words (fewer when the
    // request's max_tokens is smaller), paced; unstreamed answers come after the same total time.
    void setDefaultAnswer(int words, int wordDelayMs, int firstByteDelayMs);
    // Ollama: what POST /api/show reports as the model's context length (default 131072).
    void setOllamaContextLength(int tokens) { m_ollamaContextLength = tokens; }
    // false: requests for a tool are answered in plain text (a model that cannot call tools).
    void setCallsTools(bool callsTools) { m_callsTools = callsTools; }
    // Serves POST /tokenize answering `tokens` tokens in vLLM's or llama.cpp's format (llama.cpp:
    // an empty list for a request without "content", as the real server), or never answering.
    // Default None: 404, like servers without a tokenizer.
    void setTokenizer(Tokenizer tokenizer, int tokens = 42) {
        m_tokenizer = tokenizer;
        m_tokenizerCount = tokens;
    }

signals:
    void requestReceived();
    void clientClosedMidAnswer();

private:
    struct Connection;
    void onNewConnection();
    void onReadyRead(Connection *connection);
    void processBuffered(Connection *connection);
    void handle(Connection *connection, const Recorded &request);
    void sendWhole(Connection *connection, int status, const QByteArray &contentType, const QByteArray &body,
                   int delayMs);
    void finishAnswer(Connection *connection);
    Reply defaultReply(const QJsonObject &request) const;
    int defaultWordCount(const QJsonObject &request) const;
    QByteArray showAnswer(const QJsonObject &request) const;
    void answerTokenize(Connection *connection, const QJsonObject &request);
    QList<QByteArray> streamChunks(const Reply &reply, const QJsonObject &request) const;
    QByteArray completeAnswer(const Reply &reply, const QJsonObject &request) const;
    void sendChunks(Connection *connection, QList<QByteArray> chunks, const Reply &reply);

    Kind m_kind;
    QTcpServer *m_server;
    QQueue<Reply> m_replies;
    QList<Recorded> m_requests;
    QList<Recorded> m_showRequests;
    QList<Recorded> m_tokenizeRequests;
    Tokenizer m_tokenizer = Tokenizer::None;
    int m_tokenizerCount = 42;
    int m_closedMidAnswer = 0;
    int m_defaultWords = 0;
    int m_ollamaContextLength = 131072;
    int m_defaultWordDelayMs = 0;
    int m_defaultFirstByteDelayMs = 0;
    bool m_callsTools = true;
};

} // namespace modelrelay::testing
