// Lines out of a byte stream however it is chunked, and the cap on a line that never ends.
#include "backends/LineBuffer.h"
#include "backends/anthropic_native/AnthropicNativeStreamDecoder.h"
#include "backends/ollama/OllamaStreamDecoder.h"
#include "backends/openai/OpenAiStreamDecoder.h"

#include <QtTest>
#include <memory>

using namespace modelrelay;

class TestLineBuffer : public QObject {
    Q_OBJECT
private slots:
    void splitsLinesInAnyChunking() {
        const QByteArray stream = "data: 1\r\n\r\ndata: ✓ 日本\nlast";
        for (qsizetype size = 1; size <= stream.size(); ++size) {
            LineBuffer lines;
            QList<QByteArray> out;
            auto take = [&](QByteArrayView line) { out.append(line.toByteArray()); };
            for (qsizetype at = 0; at < stream.size(); at += size)
                lines.feed(QByteArrayView(stream).sliced(at, qMin(size, stream.size() - at)), take);
            lines.finish(take);
            QCOMPARE(out, (QList<QByteArray>{"data: 1", "", "data: ✓ 日本", "last"}));
            QVERIFY(!lines.overflowed());
        }
    }

    void aLineUpToTheLimitPasses() {
        LineBuffer lines(8);
        QList<QByteArray> out;
        lines.feed("1234", [&](QByteArrayView line) { out.append(line.toByteArray()); });
        lines.feed("5678\n", [&](QByteArrayView line) { out.append(line.toByteArray()); });
        QCOMPARE(out, QList<QByteArray>{"12345678"});
        QVERIFY(!lines.overflowed());
    }

    void aLineOverTheLimitStopsTheBuffer() {
        LineBuffer lines(8);
        QList<QByteArray> out;
        auto take = [&](QByteArrayView line) { out.append(line.toByteArray()); };
        lines.feed("ok\n12345", take);
        lines.feed("6789", take); // 9 bytes and no end in sight
        QVERIFY(lines.overflowed());
        lines.feed("\nmore\n", take); // nothing after an overflow is read
        lines.finish(take);
        QCOMPARE(out, QList<QByteArray>{"ok"});
        // Also when the overlong line ends within the same chunk.
        LineBuffer whole(8);
        whole.feed("123456789\n", take);
        QVERIFY(whole.overflowed());
        QCOMPARE(out, QList<QByteArray>{"ok"});
    }

    // Every backend's decoder ends the stream with a backend error rather than buffering on.
    void decodersReportAnOverlongLine() {
        std::vector<std::unique_ptr<StreamDecoder>> decoders;
        decoders.push_back(std::make_unique<OpenAiStreamDecoder>());
        decoders.push_back(std::make_unique<OllamaStreamDecoder>());
        decoders.push_back(std::make_unique<AnthropicNativeStreamDecoder>());
        const QByteArray megabyte(1024 * 1024, 'a');
        for (auto &decoder : decoders) {
            std::vector<StreamDelta> out;
            decoder->feed("data: ", out);
            for (int i = 0; i < 15; ++i)
                decoder->feed(megabyte, out);
            QVERIFY(decoder->backendError().isEmpty()); // 15 MB: still under way...
            decoder->feed(megabyte, out);
            decoder->feed(megabyte, out);
            QVERIFY2(decoder->backendError().contains("16 MB without a line break"),
                     qPrintable(decoder->backendError())); // ...one more megabyte is too many
        }
    }
};

QTEST_GUILESS_MAIN(TestLineBuffer)
#include "tst_linebuffer.moc"
