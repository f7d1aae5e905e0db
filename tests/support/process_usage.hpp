// tests/support/process_usage.hpp — this process's open descriptors and resident memory,
// for tests that prove a loop leaks neither.
#pragma once

#include <dirent.h>

#include <fstream>
#include <string>

namespace test_support {

inline int open_fds() {
    int n = 0;
    DIR* d = opendir("/proc/self/fd");
    while (readdir(d)) ++n;
    closedir(d);
    return n;
}

/// VmRSS in KiB.
inline long rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = 0;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            return value;
        }
        in.ignore(4096, '\n');
    }
    return -1;
}

/// True when built with AddressSanitizer, whose quarantine keeps freed memory resident:
/// RSS says nothing about leaks there (LeakSanitizer does that job instead).
constexpr bool under_asan() {
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}

}  // namespace test_support
