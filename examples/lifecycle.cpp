// Takes an existing container through stop, start, freeze, unfreeze, restart; then removes it.
//   lifecycle SOCKET NAME
#include <lxd/lxd.hpp>

#include <iostream>

int main(int argc, char** argv) try {
    if (argc != 3) { std::cerr << "usage: lifecycle SOCKET NAME\n"; return 2; }
    auto client = lxd::client::connect_unix(argv[1]);
    auto c = client.containers().get(argv[2]);
    const auto deadline = std::chrono::minutes(1);
    auto show = [&](const char* step) { std::cout << step << ": " << c.state().status << "\n"; };
    c.stop({.timeout = std::chrono::seconds(5), .force = true}).wait(deadline); show("stop");
    c.start().wait(deadline); show("start");
    c.freeze().wait(deadline); show("freeze");
    c.unfreeze().wait(deadline); show("unfreeze");
    c.restart({.force = true}).wait(deadline); show("restart");
    c.remove(true).wait(std::chrono::minutes(2));
    std::cout << "removed: " << std::boolalpha << !client.containers().exists(argv[2]) << "\n";
    return 0;
} catch (const lxd::error& e) {
    std::cerr << "lifecycle: " << e.what() << "\n";
    return 1;
}
