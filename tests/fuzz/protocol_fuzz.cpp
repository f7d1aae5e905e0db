// A libFuzzer target for the decoders that read what a server sends: the response envelope,
// operations, events, an exec operation's metadata (its websocket secrets and exit
// code), and an image operation's (fingerprint, secret). The first input byte picks the decoder (and an HTTP status); the rest is the
// server's bytes. Any outcome but a value or an lxd::error is a finding: an uncaught other
// exception, a crash, or what the sanitizers report.
#include "protocol/protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

const std::string rl = "GET /1.0/fuzz";
constexpr int statuses[] = {200, 201, 202, 204, 301, 400, 403, 404, 409, 412, 500, 502};

boost::json::value parse_or_null(std::string_view text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    return ec ? boost::json::value() : v;
}

void exec_metadata(const lxd::api::operation_info& op) {
    for (const char* key : {"0", "1", "2", "control"}) {
        try {
            (void)lxd::protocol::exec_secret(op, key, rl);
        } catch (const lxd::error&) {
        }
    }
    try {
        (void)lxd::protocol::exec_exit_code(op, rl);
    } catch (const lxd::error&) {
    }
}

/// What an import/publish or an image secret operation reports.
void image_metadata(const lxd::api::operation_info& op, const boost::json::value& raw) {
    try {
        (void)lxd::protocol::decode_image_fingerprint(op.metadata_json, op.id);
    } catch (const lxd::error&) {
    }
    try {
        (void)lxd::protocol::decode_image_secret(raw, rl);
    } catch (const lxd::error&) {
    }
}

void one(unsigned char selector, std::string_view in) {
    switch (selector % 4) {
    case 0: {   // an HTTP answer's body under a chosen status and content type
        int status = statuses[(selector / 4) % std::size(statuses)];
        auto type = (selector & 0x80) ? "application/json; charset=utf-8" : "application/json";
        auto env = lxd::protocol::parse_envelope(status, type, in, rl, "/1.0/elsewhere");
        if (env.type == lxd::protocol::envelope::kind::async) (void)lxd::protocol::decode_operation(env.metadata, rl);
        break;
    }
    case 1: {   // an operation object (GET /1.0/operations/ID, /wait)
        auto raw = parse_or_null(in);
        auto op = lxd::protocol::decode_operation(raw, rl);
        exec_metadata(op);
        image_metadata(op, raw);
        break;
    }
    case 2:     // one frame of the event stream
        (void)lxd::protocol::decode_event(parse_or_null(in), rl);
        break;
    case 3: {   // an exec operation's metadata, as every operation reaches exec: decoded first
        constexpr int codes[] = {200, 400, 401, 103};
        boost::json::object op{{"id", "fuzz"}, {"class", "websocket"}, {"status_code", codes[(selector / 4) % 4]},
                               {"metadata", parse_or_null(in)}};
        exec_metadata(lxd::protocol::decode_operation(op, rl));
        break;
    }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    try {
        one(data[0], std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    } catch (const lxd::error&) {
        // the expected answer to bad input
    }
    return 0;
}
