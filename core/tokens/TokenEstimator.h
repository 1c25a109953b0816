// Estimates how many input tokens a request will cost, counting every part of the prompt
// (system, messages of every block type, tool definitions), without a model's tokenizer.
#pragma once

#include "anthropic/MessageRequest.h"

#include <QStringView>

namespace modelrelay {

class TokenEstimator {
public:
    static int estimate(const MessageRequest &request);
    static int estimateText(QStringView text);
};

} // namespace modelrelay
