// One log line per finished request, for headless mode and the UI's copyable log.
#pragma once

#include "RequestRecord.h"

#include <QString>

namespace modelrelay {

class RequestRecordFormatter {
public:
    // e.g. "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b stream 200
    //       in~18234 in=18012 out=312 ttft=412ms 3.21s end_turn"
    static QString line(const RequestRecord &record);
};

} // namespace modelrelay
