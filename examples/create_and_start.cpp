// Creates a container from an image and starts it, as one operation.
//   create_and_start SOCKET IMAGE NAME
#include <lxd/lxd.hpp>

#include <iostream>

int main(int argc, char** argv) try {
    if (argc != 4) { std::cerr << "usage: create_and_start SOCKET IMAGE NAME\n"; return 2; }
    auto client = lxd::client::connect_unix(argv[1]);
    lxd::instance_create cfg;
    cfg.name = argv[3];
    cfg.source = lxd::instance_source::image_alias(argv[2]);
    cfg.start = true;
    auto op = client.containers().create(cfg);
    op.wait(std::chrono::minutes(2));
    std::cout << cfg.name << " " << client.containers().get(cfg.name).status() << "\n";
    return 0;
} catch (const lxd::error& e) {
    std::cerr << "create_and_start: " << e.what() << "\n";
    return 1;
}
