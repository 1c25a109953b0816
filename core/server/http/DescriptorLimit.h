// The process's limit on open file descriptors, which caps how many connections it can hold
// (each relayed request takes two: the client's and the backend's).
#pragma once

namespace modelrelay {

class DescriptorLimit {
public:
    // Raises the soft limit to the hard limit (once; Linux and macOS) and returns the soft limit,
    // or -1 where there is none to speak of (Windows).
    static long raiseSoftLimit();
};

} // namespace modelrelay
