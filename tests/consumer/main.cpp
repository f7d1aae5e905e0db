// Builds against the installed lxdpp; proves the package is usable from another project.
#include <lxd/lxd.hpp>

#include <iostream>

int main() {
    try {
        auto c = lxd::client::connect_unix("/tmp/lxdpp-consumer-no-socket");
        (void)c.host_info();
    } catch (const lxd::error& e) {
        std::cout << lxd::version_string << " " << lxd::to_string(e.code_value()) << "\n";
        return e.code_value() == lxd::errc::connection_failed ? 0 : 1;
    }
    return 1;
}
