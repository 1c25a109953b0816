// Test helper: feeds a stream decoder the same bytes split in every way a network could split
// them, and renders the resulting deltas as comparable strings.
#pragma once

#include "anthropic/StreamDelta.h"
#include "backends/StreamDecoder.h"

#include <QByteArray>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

namespace modelrelay::testing {

inline QString describe(const StreamDelta &d) {
    switch (d.kind) {
    case StreamDelta::Kind::Text:
        return QStringLiteral("text:") + d.text;
    case StreamDelta::Kind::Reasoning:
        return QStringLiteral("reasoning:") + d.text;
    case StreamDelta::Kind::ReasoningSignature:
        return QStringLiteral("signature:") + d.text;
    case StreamDelta::Kind::ToolCallBegin:
        return QStringLiteral("begin:%1:%2:%3").arg(d.toolIndex).arg(d.id, d.name);
    case StreamDelta::Kind::ToolCallArgs:
        return QStringLiteral("args:%1:%2").arg(d.toolIndex).arg(d.text);
    case StreamDelta::Kind::Usage: {
        auto n = [](const std::optional<int> &v) { return v ? QString::number(*v) : QStringLiteral("-"); };
        return QStringLiteral("usage:in=%1,out=%2,cached=%3")
            .arg(n(d.usage.inputTokens), n(d.usage.outputTokens), n(d.usage.cacheReadInputTokens));
    }
    case StreamDelta::Kind::Finish: {
        static const char *names[] = {"end_turn", "max_tokens", "stop_sequence", "tool_use", "refusal"};
        QString s = QStringLiteral("finish:") + QString::fromLatin1(names[int(d.stopReason)]);
        if (!d.stopSequence.isEmpty())
            s += QStringLiteral(":") + d.stopSequence;
        return s;
    }
    }
    return {};
}

// Adjacent fragments of the same kind (and tool) are merged: where a split falls may change how
// a backend line is cut, never what it says.
inline QStringList describeMerged(const std::vector<StreamDelta> &deltas) {
    QStringList out;
    const StreamDelta *previous = nullptr;
    for (const StreamDelta &d : deltas) {
        const bool mergeable = d.kind == StreamDelta::Kind::Text || d.kind == StreamDelta::Kind::Reasoning ||
                               d.kind == StreamDelta::Kind::ReasoningSignature ||
                               d.kind == StreamDelta::Kind::ToolCallArgs;
        if (mergeable && previous && previous->kind == d.kind && previous->toolIndex == d.toolIndex) {
            out.last() += d.text;
        } else {
            out.append(describe(d));
        }
        previous = &d;
    }
    return out;
}

struct Decoded {
    QStringList deltas;
    QString backendError;
};

using DecoderFactory = std::function<std::unique_ptr<StreamDecoder>()>;

inline Decoded decodeInChunks(const DecoderFactory &make, const QByteArray &bytes,
                              const QList<qsizetype> &cuts) {
    auto decoder = make();
    std::vector<StreamDelta> out;
    qsizetype start = 0;
    for (qsizetype cut : cuts) {
        decoder->feed(QByteArrayView(bytes).sliced(start, cut - start), out);
        start = cut;
    }
    decoder->feed(QByteArrayView(bytes).sliced(start), out);
    decoder->finish(out);
    return {describeMerged(out), decoder->backendError()};
}

// Every way tested: whole, split in two at every byte, byte by byte, and in fixed chunk sizes.
// Returns an empty string when all agree with the whole-input decoding, else the first difference.
inline QString splitDisagreement(const DecoderFactory &make, const QByteArray &bytes, Decoded *whole) {
    *whole = decodeInChunks(make, bytes, {});
    auto compare = [&](const QList<qsizetype> &cuts, const QString &how) -> QString {
        const Decoded split = decodeInChunks(make, bytes, cuts);
        if (split.deltas != whole->deltas || split.backendError != whole->backendError)
            return QStringLiteral("%1: got [%2], whole input gave [%3]")
                .arg(how, split.deltas.join(QStringLiteral(" | ")),
                     whole->deltas.join(QStringLiteral(" | ")));
        return {};
    };
    for (qsizetype at = 1; at < bytes.size(); ++at) {
        if (QString problem = compare({at}, QStringLiteral("split at %1").arg(at)); !problem.isEmpty())
            return problem;
    }
    for (qsizetype size : {1, 2, 3, 5, 7, 13, 64}) {
        QList<qsizetype> cuts;
        for (qsizetype at = size; at < bytes.size(); at += size)
            cuts.append(at);
        if (QString problem = compare(cuts, QStringLiteral("chunks of %1").arg(size)); !problem.isEmpty())
            return problem;
    }
    return {};
}

} // namespace modelrelay::testing
