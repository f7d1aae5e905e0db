// tests/integration/shared_box.hpp — a suite fixture with one running container per server
// for the whole suite, made by the suite's first test on that server and removed after it.
#pragma once

#include "sandbox.hpp"

#include <map>
#include <memory>
#include <utility>

namespace sandbox {

/// `Suite` (the deriving fixture) names its containers with `Suite::box_prefix`.
template <class Suite>
struct shared_box_test : server_test {
    static inline lxd::client* c = nullptr;
    static inline lxd::instance* box = nullptr;
    static inline std::map<server, std::pair<std::unique_ptr<lxd::client>, std::unique_ptr<lxd::instance>>> per;
    void SetUp() override {
        auto& [pc, pb] = per[srv()];
        if (!pc) {
            pc = std::make_unique<lxd::client>(unix_client(1));
            pb = std::make_unique<lxd::instance>(make_container(*pc, unique_name(Suite::box_prefix), true));
        }
        c = pc.get();
        box = pb.get();
    }
    static void TearDownTestSuite() {
        for (auto& [s, p] : per) {
            use(s);
            if (p.first) remove_leftovers(*p.first);
        }
        per.clear();
        c = nullptr;
        box = nullptr;
    }
};

}  // namespace sandbox
