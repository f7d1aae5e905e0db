// The demo: what lxdpp does, against a local LXD (scripts/demo starts one if needed).
//   demo [SOCKET] [IMAGE] [SECOND_SOCKET]   (with a second daemon it also copies across)
#include <lxd/lxd.hpp>

#include <iostream>

int main(int argc, char** argv) try {
    std::string socket = argc > 1 ? argv[1] : "";
    std::string image = argc > 2 ? argv[2] : "testimage";
    auto client = lxd::client::connect_unix(socket);

    auto info = client.host_info();
    std::cout << "== server\n"
              << "  " << info.environment.server << " " << info.environment.server_version << " on "
              << info.environment.server_name << " (" << info.environment.kernel << " "
              << info.environment.kernel_version << "), storage " << info.environment.storage << "\n"
              << "  auth: " << info.auth << ", " << info.api_extensions.size() << " API extensions\n";

    if (auto cl = client.cluster(); cl.enabled()) {
        std::cout << "== cluster (this is member " << cl.info().server_name << ")\n";
        for (auto& m : cl.members())
            std::cout << "  " << m.name() << "  " << m.url() << "  " << m.status() << "  " << m.message() << "\n";
    }

    auto print_list = [&] {
        auto all = client.containers().all();
        std::cout << "== containers (" << all.size() << ")\n";
        for (auto& c : all) std::cout << "  " << c.name() << "  " << c.status() << "  " << c.type() << "\n";
    };
    print_list();

    const std::string name = "lxdpp-demo";
    if (client.containers().exists(name)) client.containers().get(name).remove(true).wait(std::chrono::minutes(2));
    std::cout << "== lifecycle of '" << name << "' from image '" << image << "'\n";
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias(image);
    cfg.config["user.demo"] = "lxdpp";
    cfg.start = true;
    client.containers().create(cfg).wait(std::chrono::minutes(2));
    auto c = client.containers().get(name);
    std::cout << "  created and started: " << c.status() << "\n";
    c.freeze().wait(std::chrono::minutes(1));
    std::cout << "  frozen: " << c.state().status << "\n";
    c.unfreeze().wait(std::chrono::minutes(1));
    auto st = c.state();
    std::cout << "  unfrozen: " << st.status << ", pid " << st.pid << ", " << st.processes << " processes, memory "
              << st.memory_usage / 1024 << " KiB, " << st.network.size() << " network interfaces\n";
    print_list();
    std::cout << "== commands in '" << name << "'\n";
    for (std::vector<std::string> argv : {std::vector<std::string>{"uname", "-a"},
                                          {"sh", "-c", "echo hello from $(hostname); echo warning >&2"},
                                          {"sh", "-c", "exit 42"}}) {
        auto r = c.execute(argv);
        std::cout << "  $";
        for (auto& a : argv) std::cout << " " << a;
        std::cout << "\n    exit " << r.exit_code << ", stdout: " << (r.out.empty() ? "(none)" : r.out.substr(0, r.out.find('\n')))
                  << ", stderr: " << (r.err.empty() ? "(none)" : r.err.substr(0, r.err.find('\n'))) << "\n";
    }
    auto piped = c.execute({"wc", "-c"}, {.stdin_data = std::string(1 << 20, 'x')});
    std::cout << "  1 MiB piped through wc -c: " << piped.out;
    std::cout << "== files in '" << name << "'\n";
    auto files = c.files();
    files.mkdir("/root/demo", {.mode = 0750});
    files.put("/root/demo/hello.txt", "hello from lxdpp\n", {.mode = 0640, .uid = 1000, .gid = 1000});
    auto back = files.get("/root/demo/hello.txt");
    std::cout << "  pushed and read back: " << back.data << "  mode " << std::oct << back.info.mode << std::dec
              << ", uid " << back.info.uid << ", gid " << back.info.gid << "\n";
    files.symlink("/root/demo/latest", "hello.txt");
    std::cout << "  /root/demo holds:";
    for (auto& entry : files.list("/root/demo")) std::cout << " " << entry << " (" << files.stat("/root/demo/" + entry).type << ")";
    std::cout << "\n";
    std::cout << "== snapshots of '" << name << "'\n";
    c.snapshots().create("before-change").wait(std::chrono::minutes(1));
    files.put("/root/demo/hello.txt", "changed after the snapshot\n");
    std::cout << "  after the change: " << files.get("/root/demo/hello.txt").data;
    c.restore_snapshot("before-change").wait(std::chrono::minutes(2));
    std::cout << "  after restoring 'before-change': " << files.get("/root/demo/hello.txt").data;
    for (auto& snap : c.snapshots().all()) std::cout << "  snapshot " << snap.name() << " taken " << snap.created_at() << "\n";
    std::cout << "== images\n";
    auto published = c.snapshots().get("before-change").publish().wait(std::chrono::minutes(5));
    auto fp = lxd::image_fingerprint(published);
    auto img = client.images().get(fp);
    std::cout << "  published snapshot 'before-change' as image " << fp.substr(0, 12) << " (" << img.size() << " bytes)\n";
    for (auto& i : client.images().all()) {
        std::cout << "  image " << i.fingerprint().substr(0, 12) << " " << i.architecture() << " " << i.size() << " bytes";
        for (auto& a : i.aliases()) std::cout << " alias=" << a.name;
        std::cout << "\n";
    }
    img.remove().wait(std::chrono::minutes(1));
    if (argc > 3) {
        auto second = lxd::client::connect_unix(argv[3]);
        std::cout << "== copy to a second server\n";
        if (second.containers().exists(name)) second.containers().get(name).remove(true).wait(std::chrono::minutes(2));
        c.copy(second).wait(std::chrono::minutes(5));   // relay: this client carries the data
        auto copied = second.containers().get(name);
        std::cout << "  on the second server: " << copied.name() << " (" << copied.status() << "), "
                  << copied.snapshots().all().size() << " snapshot(s), user.demo=" << copied.config().at("user.demo") << "\n";
        copied.remove(true).wait(std::chrono::minutes(2));
    }
    c.stop({.timeout = std::chrono::seconds(10), .force = true}).wait(std::chrono::minutes(1));
    std::cout << "  stopped: " << c.state().status << "\n";
    c.remove().wait(std::chrono::minutes(2));
    std::cout << "  removed: exists = " << std::boolalpha << client.containers().exists(name) << "\n";
    return 0;
} catch (const lxd::error& e) {
    std::cerr << "demo: " << e.what() << "\n";
    return 1;
}
