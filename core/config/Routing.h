// Routing beyond the model map: rules that send a class of request (background, thinking, long
// context, images) to another backend or model, and the ordered fallbacks tried when a backend
// fails before anything reached the client (connection failure, 429, 5xx).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace modelrelay {

// A backend profile (by name) and, optionally, the model to ask it for; an empty model means
// "what the model map says".
struct RouteTarget {
    QString profile;
    QString model;
    friend bool operator==(const RouteTarget &, const RouteTarget &) = default;
};

enum class RequestClass {
    Images,      // the request carries an image (→ a vision model)
    LongContext, // the estimated prompt is over longContextTokens
    Thinking,    // the client asked for extended thinking
    Background,  // a haiku-class model: Claude Code's titles, summaries, quick checks
};

QString requestClassName(RequestClass c);  // "images" | "long_context" | "thinking" | "background"
QString requestClassTitle(RequestClass c); // "Images", "Long context", ...
bool requestClassFromName(const QString &name, RequestClass *c);

struct RouteRule {
    RequestClass when = RequestClass::Background;
    QList<RouteTarget> targets; // the first is used; the others, in order, when it fails
    friend bool operator==(const RouteRule &, const RouteRule &) = default;
};

struct Routing {
    QList<RouteRule> rules; // the first rule whose class the request belongs to wins
    int longContextTokens = 60000;
    // Tried in order when the backend chosen by the model map fails (requests no rule took).
    QList<RouteTarget> fallbacks;

    bool isEmpty() const { return rules.isEmpty() && fallbacks.isEmpty(); }

    // ROUTES_JSON / the --config key "routing" / saved settings:
    //   {"long_context_tokens": 60000,
    //    "rules": [{"when": "images", "targets": [{"profile": "OpenRouter", "model": "qwen-vl"},
    //                                             "Ollama (local)"]}],
    //    "fallbacks": [{"profile": "OpenRouter", "model": "deepseek-chat"}]}
    // A target given as a string is a profile name (model from the model map). Returns nothing
    // and sets *error, naming the place, when the JSON has the wrong shape.
    static std::optional<Routing> fromJson(const QByteArray &json, QString *error);
    QByteArray toJson() const; // compact; fromJson(toJson()) gives the same value

    friend bool operator==(const Routing &, const Routing &) = default;
};

} // namespace modelrelay
