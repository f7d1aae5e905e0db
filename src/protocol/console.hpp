// src/protocol/console.hpp — attaching to an instance's console (POST /1.0/<collection>/{name}/console).
// The console log (GET/DELETE on the same path) is in instance_meta.hpp.
#pragma once

#include <string_view>

#include "request.hpp"

namespace lxd::protocol {

/// POST .../console {"type":"console","width":W,"height":H[,"force":true]}: attaches to the
/// console (an operation with the websockets "0" and "control"). Only type "console":
/// "vga" (SPICE) is refused, as any other; width and height 1..65535; force is sent only
/// when true (an Incus field; LXD 5.0 ignores it).
request console_start(std::string_view collection, std::string_view name, std::string_view type, unsigned width,
                      unsigned height, bool force);

}  // namespace lxd::protocol
