// Builds the requests for an OpenAI-compatible server's own tokenizer (POST {root}/tokenize, as
// vLLM and llama.cpp server serve it) from a translated Chat Completions body, and reads the
// answers of both servers. Pure: JSON in, JSON out.
//
// vLLM applies the model's chat template to {"model","messages","tools"} and answers
// {"count","max_model_len","tokens"}. llama.cpp server tokenizes plain text only
// ({"content","add_special"} -> {"tokens":[...]}), and answers a request without "content" with
// an empty token list, which is how the two are told apart. For llama.cpp the text of every
// message and tool schema is tokenized in one request and a fixed per-message overhead is added
// for the template's role markers: one round trip instead of two (/apply-template first), and it
// works with servers older than /apply-template; the overhead is a few tokens per message, well
// inside what the calibration corrects.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QUrl>
#include <optional>

namespace modelrelay {

enum class TokenizerDialect { Vllm, LlamaCpp };

class BackendTokenizer {
public:
    struct Answer {
        TokenizerDialect dialect;
        int tokens = 0;
    };
    struct TextRequest {
        QByteArray body;
        int overheadTokens = 0; // to add to the server's count
    };

    // Role markers and separators of a typical chat template (<|im_start|>role\n ... <|im_end|>\n).
    static constexpr int kLlamaCppTokensPerMessage = 4;
    static constexpr int kLlamaCppTokensForAnswerPrompt = 3;

    // {base}/tokenize at the server root: "http://h:8080/v1" -> "http://h:8080/tokenize".
    static QUrl tokenizeUrl(const QUrl &openAiBaseUrl);
    // vLLM's chat form: the messages and tools of `chatBody` (an OpenAI Chat Completions body).
    static QByteArray vllmRequest(const QJsonObject &chatBody);
    // llama.cpp's text form: everything the model reads, as one text.
    static TextRequest llamaCppRequest(const QJsonObject &chatBody);
    // Either server's answer; nullopt when it is neither (an error page, a proxy's HTML, ...).
    static std::optional<Answer> parseAnswer(const QByteArray &body);
};

} // namespace modelrelay
