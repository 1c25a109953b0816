// Invariants the fuzz targets assert for every input, and the check that stops the fuzzer
// (with a readable reason) when one is violated.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace modelrelay::fuzz {

// Prints the broken invariant and aborts, which libFuzzer reports as a crash and saves the input.
void require(bool condition, const char *invariant);

// What a client reassembles from a complete Anthropic SSE answer.
struct SseAnswer {
    bool endedWithError = false; // an error event instead of message_delta + message_stop
    QJsonArray content;          // the content blocks, as the non-streaming message has them
    QString stopReason;          // message_delta's stop_reason, when not ended with an error
    int outputTokens = -1;       // message_delta's usage.output_tokens
};

// Checks the event grammar Anthropic clients rely on (message_start first, block indices counting
// up, one block open at a time, every content_block_start closed by its content_block_stop, deltas
// matching their block's type, tool input a JSON object, then message_delta + message_stop or an
// error event last), and returns what the events add up to.
SseAnswer checkSseAnswer(const QByteArray &events);

// A compact JSON document that must parse back as an object.
QJsonObject requireJsonObject(const QByteArray &json, const char *invariant);

} // namespace modelrelay::fuzz
