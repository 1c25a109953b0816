// One log line per finished request, for headless mode and the UI's copyable log.
#pragma once

#include "RequestRecord.h"

#include <QString>
#include <QStringList>

namespace modelrelay {

class RequestRecordFormatter {
public:
    // e.g. "05:10:00.123 #12 messages claude-sonnet-4-5 -> qwen2.5-coder:32b stream 200
    //       in~18234 in=18012 out=312 ttft=412ms 3.21s end_turn"
    // or   "05:10:00.123 #13 messages claude-sonnet-4-5 -> qwen2.5-coder:32b stream 502 3.00s error: ..."
    static QString line(const RequestRecord &record);
    // The record's notes (degradations), one indented line each, shown at debug level.
    static QStringList noteLines(const RequestRecord &record);
};

} // namespace modelrelay
