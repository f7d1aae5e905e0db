#include "sftp.hpp"

#include "errors.hpp"

namespace lxd::protocol::sftp {

namespace {

void put_u32(std::string& out, std::uint32_t v) {
    char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.append(b, 4);
}
void put_u64(std::string& out, std::uint64_t v) {
    put_u32(out, static_cast<std::uint32_t>(v >> 32));
    put_u32(out, static_cast<std::uint32_t>(v));
}
void put_string(std::string& out, std::string_view s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

/// Starts a packet: a length placeholder, the type and (for requests) the id. finish()
/// patches the length once the body is there.
std::size_t begin(std::string& out, type t, std::optional<std::uint32_t> id) {
    auto at = out.size();
    put_u32(out, 0);
    out.push_back(static_cast<char>(t));
    if (id) put_u32(out, *id);
    return at;
}
void finish(std::string& out, std::size_t at, std::size_t extra = 0) {
    auto len = static_cast<std::uint32_t>(out.size() - at - 4 + extra);
    for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(len >> (24 - 8 * i));
}

/// Reads a packet body front to back; any read past the end is errc::protocol_error.
class reader {
public:
    explicit reader(std::string_view b) : b_(b) {}
    std::uint32_t u32() {
        need(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b_[i]);
        b_.remove_prefix(4);
        return v;
    }
    std::uint64_t u64() {
        std::uint64_t hi = u32();
        return (hi << 32) | u32();
    }
    std::string_view str() {
        auto n = u32();
        need(n);
        auto s = b_.substr(0, n);
        b_.remove_prefix(n);
        return s;
    }
    bool empty() const { return b_.empty(); }
    std::size_t left() const { return b_.size(); }

private:
    void need(std::size_t n) const {
        if (b_.size() < n) fail_protocol("SFTP", "truncated SFTP packet");
    }
    std::string_view b_;
};

constexpr std::uint32_t f_size = 0x1, f_uidgid = 0x2, f_perms = 0x4, f_times = 0x8, f_ext = 0x80000000u;

attributes read_attrs(reader& r) {
    attributes a;
    auto flags = r.u32();
    if (flags & ~(f_size | f_uidgid | f_perms | f_times | f_ext))
        fail_protocol("SFTP", "SFTP attributes with unknown flags " + std::to_string(flags));
    if (flags & f_size) a.size = r.u64();
    if (flags & f_uidgid) {
        a.uid = r.u32();
        a.gid = r.u32();
    }
    if (flags & f_perms) a.permissions = r.u32();
    if (flags & f_times) {
        a.atime = r.u32();
        a.mtime = r.u32();
    }
    if (flags & f_ext) {
        auto n = r.u32();
        if (n > r.left() / 8) fail_protocol("SFTP", "SFTP attributes with too many extensions");
        for (std::uint32_t i = 0; i < n; ++i) {
            (void)r.str();
            (void)r.str();
        }
    }
    return a;
}

bool ends_with(std::string_view s, std::string_view tail) { return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail; }

}  // namespace

void encode_attrs(std::string& out, const attributes& a) {
    std::uint32_t flags = (a.size ? f_size : 0) | (a.uid || a.gid ? f_uidgid : 0) | (a.permissions ? f_perms : 0) |
                          (a.atime || a.mtime ? f_times : 0);
    put_u32(out, flags);
    if (a.size) put_u64(out, *a.size);
    if (flags & f_uidgid) {
        put_u32(out, a.uid.value_or(0xFFFFFFFFu));   // -1: leave that side unchanged
        put_u32(out, a.gid.value_or(0xFFFFFFFFu));
    }
    if (a.permissions) put_u32(out, *a.permissions);
    if (flags & f_times) {
        put_u32(out, a.atime.value_or(a.mtime.value_or(0)));
        put_u32(out, a.mtime.value_or(a.atime.value_or(0)));
    }
}

void encode_init(std::string& out) {
    auto at = begin(out, type::init, std::nullopt);
    put_u32(out, 3);
    finish(out, at);
}

void encode_path_request(std::string& out, type t, std::uint32_t id, std::string_view path) {
    auto at = begin(out, t, id);
    put_string(out, path);
    finish(out, at);
}

void encode_handle_request(std::string& out, type t, std::uint32_t id, std::string_view handle) {
    encode_path_request(out, t, id, handle);
}

void encode_open(std::string& out, std::uint32_t id, std::string_view path, std::uint32_t pflags, const attributes& a) {
    auto at = begin(out, type::open, id);
    put_string(out, path);
    put_u32(out, pflags);
    encode_attrs(out, a);
    finish(out, at);
}

void encode_read(std::string& out, std::uint32_t id, std::string_view handle, std::uint64_t offset, std::uint32_t length) {
    auto at = begin(out, type::read, id);
    put_string(out, handle);
    put_u64(out, offset);
    put_u32(out, length);
    finish(out, at);
}

void encode_write_header(std::string& out, std::uint32_t id, std::string_view handle, std::uint64_t offset,
                         std::uint32_t length) {
    auto at = begin(out, type::write, id);
    put_string(out, handle);
    put_u64(out, offset);
    put_u32(out, length);
    finish(out, at, length);
}

void encode_with_attrs(std::string& out, type t, std::uint32_t id, std::string_view path_or_handle, const attributes& a) {
    auto at = begin(out, t, id);
    put_string(out, path_or_handle);
    encode_attrs(out, a);
    finish(out, at);
}

void encode_symlink(std::string& out, std::uint32_t id, std::string_view target, std::string_view link) {
    auto at = begin(out, type::symlink, id);
    put_string(out, target);
    put_string(out, link);
    finish(out, at);
}

void encode_rename(std::string& out, std::uint32_t id, std::string_view from, std::string_view to) {
    auto at = begin(out, type::rename, id);
    put_string(out, from);
    put_string(out, to);
    finish(out, at);
}

std::size_t frame_length(std::string_view bytes) {
    if (bytes.size() < 4) return 0;
    auto len = reader(bytes.substr(0, 4)).u32();
    if (len == 0 || len > max_incoming)
        fail_protocol("SFTP", "SFTP packet of length " + std::to_string(len) + " refused");
    return bytes.size() >= 4 + std::size_t{len} ? 4 + std::size_t{len} : 0;
}

packet parse_packet(std::string_view frame) {
    if (frame.size() < 5) fail_protocol("SFTP", "empty SFTP packet");
    packet p;
    auto body = frame.substr(5);
    p.kind = static_cast<std::uint8_t>(frame[4]);
    reader rb(body);
    p.id = rb.u32();
    p.body = body.substr(4);
    return p;
}

std::uint32_t decode_version(const packet& p) {
    if (p.kind != static_cast<std::uint8_t>(type::version)) fail_protocol("SFTP", "the server did not answer INIT with VERSION");
    return p.id;
}

status_reply decode_status(std::string_view body) {
    reader r(body);
    status_reply s;
    s.code = r.u32();
    if (!r.empty()) s.message = std::string(r.str());   // message and language are optional in practice
    return s;
}

std::string decode_handle(std::string_view body) {
    reader r(body);
    auto h = r.str();
    if (h.empty() || h.size() > 256) fail_protocol("SFTP", "SFTP handle of " + std::to_string(h.size()) + " bytes");
    return std::string(h);
}

std::string_view decode_data(std::string_view body) {
    reader r(body);
    return r.str();
}

std::vector<name_entry> decode_name(std::string_view body) {
    reader r(body);
    auto n = r.u32();
    if (n > r.left() / 12) fail_protocol("SFTP", "SFTP NAME with more entries than bytes");
    std::vector<name_entry> out;
    out.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        name_entry e;
        e.name = std::string(r.str());
        e.longname = std::string(r.str());
        e.attrs = read_attrs(r);
        out.push_back(std::move(e));
    }
    return out;
}

attributes decode_attrs_reply(std::string_view body) {
    reader r(body);
    return read_attrs(r);
}

file_info info_of(const attributes& a) {
    file_info i;
    i.uid = a.uid.value_or(0);
    i.gid = a.gid.value_or(0);
    auto m = a.permissions.value_or(0100000);
    i.mode = m & 07777;
    switch (m & 0170000) {
        case 0040000: i.type = api::file_type::directory; break;
        case 0120000: i.type = api::file_type::symlink; break;
        case 0010000: i.type = api::file_type::fifo; break;
        case 0140000: i.type = api::file_type::socket; break;
        case 0020000: i.type = api::file_type::char_device; break;
        case 0060000: i.type = api::file_type::block_device; break;
        default: i.type = api::file_type::file; break;
    }
    return i;
}

errc errc_of(const status_reply& s) {
    switch (s.code) {
        case fx_no_such_file: return errc::not_found;
        case fx_permission_denied: return errc::forbidden;
        case fx_op_unsupported: return errc::unsupported;
        case fx_bad_message: return errc::protocol_error;
        case fx_failure:
            if (ends_with(s.message, "file exists") || ends_with(s.message, "directory not empty")) return errc::conflict;
            if (ends_with(s.message, "not a directory") || ends_with(s.message, "is a directory")) return errc::invalid_argument;
            return errc::server_error;
        default: return errc::server_error;
    }
}

void fail_status(const status_reply& s, std::string_view op, std::string_view path) {
    fail(errc_of(s), std::string(path), "SFTP " + std::string(op), {.server_message = s.message});
}

}  // namespace lxd::protocol::sftp
