// modelrelay-fake-backend: FakeBackend as a standalone server for the end-to-end tests and
// the benchmark. Prints "listening on PORT" once ready.
#include "FakeBackend.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>

using modelrelay::testing::FakeBackend;

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption kind("kind", "openai, ollama or anthropic", "kind", "openai");
    const QCommandLineOption port("port", "port (0 = any free one)", "port", "0");
    const QCommandLineOption tokens("tokens", "words in the default answer (0 = a short greeting)", "n", "0");
    const QCommandLineOption delay("delay-ms", "delay between words", "ms", "0");
    const QCommandLineOption firstByte("first-byte-delay-ms", "delay before the first byte", "ms", "0");
    const QCommandLineOption noTools("no-tools", "answer requests for a tool in plain text");
    parser.addOptions({kind, port, tokens, delay, firstByte, noTools});
    parser.process(app);

    const QString kindName = parser.value(kind);
    FakeBackend backend(kindName == "ollama"      ? FakeBackend::Kind::Ollama
                        : kindName == "anthropic" ? FakeBackend::Kind::Anthropic
                                                  : FakeBackend::Kind::OpenAI);
    backend.setDefaultAnswer(parser.value(tokens).toInt(), parser.value(delay).toInt(),
                             parser.value(firstByte).toInt());
    backend.setCallsTools(!parser.isSet(noTools));
    if (!backend.listen(quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "fake backend: cannot listen on port %s\n", qPrintable(parser.value(port)));
        return 1;
    }
    std::printf("listening on %u\n", unsigned(backend.port()));
    std::fflush(stdout);
    return app.exec();
}
