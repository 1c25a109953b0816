// libFuzzer target: an Ollama /api/chat NDJSON body through OllamaStreamDecoder, the SSE encoder
// and the message accumulator (see StreamFuzzing.h for the input layout).
#include "StreamFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    modelrelay::fuzz::fuzzStream(modelrelay::BackendKind::Ollama, data, size);
    return 0;
}
