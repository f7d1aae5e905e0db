#include "console.hpp"

#include <string>

#include <boost/json.hpp>

#include "errors.hpp"
#include "instances.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

request console_start(std::string_view collection, std::string_view name, std::string_view type, unsigned width,
                      unsigned height, bool force) {
    check_instance_name(name);
    if (type == "vga")
        fail_invalid("console type \"vga\" (a virtual machine's SPICE display) is not supported by lxdpp; only \"console\"");
    if (type != "console") fail_invalid("unknown console type \"" + std::string(type) + "\" (only \"console\")");
    if (width < 1 || width > 65535 || height < 1 || height > 65535)
        fail_invalid("console width and height must be 1..65535 (got " + std::to_string(width) + "x" + std::to_string(height) + ")");
    json::object body{{"type", "console"}, {"width", width}, {"height", height}};
    if (force) body["force"] = true;
    return json_request(verb::post, instance_path(collection, name, "console"), json::serialize(body));
}

}  // namespace lxd::protocol
