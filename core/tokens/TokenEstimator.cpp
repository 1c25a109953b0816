#include "TokenEstimator.h"

#include <QJsonDocument>

namespace modelrelay {

namespace {

// Rough costs, chosen to land near what BPE tokenizers of current open models (Qwen, Llama,
// Mistral) report for English prose, code and JSON schemas: a common English word is one token,
// long words split about every six letters, digits group by up to three, each symbol costs one,
// and spaces ride along with the following word.
constexpr int kLettersPerToken = 6;
constexpr int kDigitsPerToken = 3;
constexpr int kMessageOverhead = 4; // role markers and separators of a chat template
constexpr int kToolOverhead = 8;    // the template's wrapping of one tool definition
constexpr int kImageTokens = 1200;  // a typical downscaled screenshot for vision models
constexpr int kToolCallOverhead = 6;

bool isAsciiLetter(char16_t c) {
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}
bool isDigit(char16_t c) {
    return c >= u'0' && c <= u'9';
}

int countJson(const QJsonObject &object) {
    if (object.isEmpty())
        return 1;
    return TokenEstimator::estimateText(
        QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

int countBlocks(const std::vector<ContentBlock> &blocks);

int countBlock(const ContentBlock &block) {
    switch (block.type) {
    case ContentBlock::Type::Text:
    case ContentBlock::Type::Thinking:
        return TokenEstimator::estimateText(block.text);
    case ContentBlock::Type::RedactedThinking:
        return 0; // never forwarded to the backend
    case ContentBlock::Type::Image:
        return kImageTokens;
    case ContentBlock::Type::ToolUse:
        return kToolCallOverhead + TokenEstimator::estimateText(block.name) + countJson(block.input);
    case ContentBlock::Type::ToolResult:
        return kToolCallOverhead + countBlocks(block.content);
    case ContentBlock::Type::ToolReference:
        return TokenEstimator::estimateText(block.name); // its definition counts with the tools
    }
    return 0;
}

int countBlocks(const std::vector<ContentBlock> &blocks) {
    int total = 0;
    for (const ContentBlock &block : blocks)
        total += countBlock(block);
    return total;
}

} // namespace

int TokenEstimator::estimateText(QStringView text) {
    int tokens = 0;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const char16_t c = text[i].unicode();
        if (isAsciiLetter(c)) {
            qsizetype j = i;
            while (j < n && isAsciiLetter(text[j].unicode()))
                ++j;
            tokens += int((j - i + kLettersPerToken - 1) / kLettersPerToken);
            i = j;
        } else if (isDigit(c)) {
            qsizetype j = i;
            while (j < n && isDigit(text[j].unicode()))
                ++j;
            tokens += int((j - i + kDigitsPerToken - 1) / kDigitsPerToken);
            i = j;
        } else if (c == u' ' || c == u'\t') {
            ++i; // merged into the next word's token
        } else if (c == u'\n' || c == u'\r') {
            qsizetype j = i;
            while (j < n && (text[j] == u'\n' || text[j] == u'\r'))
                ++j;
            ++tokens; // a run of line breaks is one token
            i = j;
        } else if (c < 0x80) {
            ++tokens; // punctuation and symbols
            ++i;
        } else {
            ++tokens; // non-ASCII: roughly one token per character (CJK, accents, emoji halves)
            i += text[i].isHighSurrogate() && i + 1 < n ? 2 : 1;
        }
    }
    return tokens;
}

int TokenEstimator::estimate(const MessageRequest &request) {
    int total = 0;
    for (const QString &part : request.system)
        total += estimateText(part);
    if (!request.system.isEmpty())
        total += kMessageOverhead;
    for (const Message &message : request.messages)
        total += kMessageOverhead + countBlocks(message.content);
    for (const ToolDefinition &tool : request.tools) {
        if (tool.deferred)
            continue; // not offered to the backend
        total += kToolOverhead + estimateText(tool.name) + estimateText(tool.description) +
                 countJson(tool.inputSchema);
    }
    return total;
}

} // namespace modelrelay
