// libFuzzer target: an OpenAI Chat Completions SSE body through OpenAiStreamDecoder, the SSE
// encoder and the message accumulator (see StreamFuzzing.h for the input layout).
#include "StreamFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    modelrelay::fuzz::fuzzStream(modelrelay::BackendKind::OpenAI, data, size);
    return 0;
}
