// The stream transducer fuzz harness shared by the OpenAI and Ollama targets: decodes the input
// in chunks the input itself chooses, relays the deltas to the SSE encoder and the message
// accumulator exactly as MessagesExchange does, and checks what comes out.
#pragma once

#include "config/BackendProfile.h"

#include <cstddef>
#include <cstdint>

namespace modelrelay::fuzz {

// Input layout: byte 0 and byte 1 pick the chunk sizes (1 + byte % 97, alternating; byte 0 = 255
// feeds everything at once), the rest is the backend's response body.
void fuzzStream(BackendKind kind, const std::uint8_t *data, std::size_t size);

} // namespace modelrelay::fuzz
