// tests/support/force_rest.hpp — the REST file transport (as on servers without SFTP) for
// the file calls made while alive: tests cover both transports on one daemon.
#pragma once

#include <cstdlib>

namespace test_support {

struct force_rest {
    force_rest() { ::setenv("LXDPP_FILE_TRANSPORT", "rest", 1); }
    ~force_rest() { ::unsetenv("LXDPP_FILE_TRANSPORT"); }
    force_rest(const force_rest&) = delete;
    force_rest& operator=(const force_rest&) = delete;
};

}  // namespace test_support
