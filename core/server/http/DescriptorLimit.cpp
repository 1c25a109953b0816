#include "DescriptorLimit.h"

#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

namespace modelrelay {

long DescriptorLimit::raiseSoftLimit() {
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    rlim_t wanted = limit.rlim_max;
#ifdef Q_OS_MACOS
    // macOS refuses RLIM_INFINITY and anything above OPEN_MAX for the soft limit.
    if (wanted == RLIM_INFINITY || wanted > 10240)
        wanted = 10240;
#endif
    // select()-based code in Qt breaks on descriptors above FD_SETSIZE, poll() does not; Qt 6 on
    // Unix polls. A cap keeps a huge hard limit from meaning a huge connection cap.
    if (wanted == RLIM_INFINITY || wanted > 1048576)
        wanted = 1048576;
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = wanted;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            getrlimit(RLIMIT_NOFILE, &limit);
    }
    return long(limit.rlim_cur);
#else
    return -1;
#endif
}

} // namespace modelrelay
