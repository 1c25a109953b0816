#include "ProxyConfig.h"

namespace modelrelay {

using namespace Qt::Literals::StringLiterals;

QString logLevelName(LogLevel level) {
    switch (level) {
    case LogLevel::Error:
        return u"error"_s;
    case LogLevel::Warn:
        return u"warn"_s;
    case LogLevel::Info:
        return u"info"_s;
    case LogLevel::Debug:
        return u"debug"_s;
    }
    return u"info"_s;
}

bool logLevelFromName(const QString &name, LogLevel *level) {
    const QString n = name.trimmed().toLower();
    if (n == "error"_L1)
        *level = LogLevel::Error;
    else if (n == "warn"_L1 || n == "warning"_L1)
        *level = LogLevel::Warn;
    else if (n == "info"_L1)
        *level = LogLevel::Info;
    else if (n == "debug"_L1 || n == "trace"_L1)
        *level = LogLevel::Debug;
    else
        return false;
    return true;
}

} // namespace modelrelay
