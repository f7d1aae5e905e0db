// Lists every instance of a local LXD with its status, in one request.
//   list_instances [SOCKET]
#include <lxd/lxd.hpp>

#include <iostream>

int main(int argc, char** argv) try {
    auto client = lxd::client::connect_unix(argc > 1 ? argv[1] : "");
    for (auto& i : client.instances().all({.with_state = true}))
        std::cout << i.name() << " " << i.status() << " " << i.type() << " pid="
                  << (i.listed_state() ? i.listed_state()->pid : 0) << "\n";
    return 0;
} catch (const lxd::error& e) {
    std::cerr << "list_instances: " << e.what() << "\n";
    return 1;
}
