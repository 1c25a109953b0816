#include "ProxyConfig.h"

#include "EnumSpellings.h"

namespace modelrelay {

namespace {
constexpr EnumSpelling<LogLevel> kLogLevels[] = {
    {LogLevel::Info, "info", "Info"},
    {LogLevel::Error, "error", "Error"},
    {LogLevel::Warn, "warn", "Warning", "warning"},
    {LogLevel::Debug, "debug", "Debug", "trace"},
};
} // namespace

QString logLevelName(LogLevel level) {
    return enum_spellings::nameOf(kLogLevels, level);
}

bool logLevelFromName(const QString &name, LogLevel *level) {
    return enum_spellings::fromName(kLogLevels, name, level);
}

} // namespace modelrelay
