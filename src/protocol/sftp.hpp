// src/protocol/sftp.hpp — SFTP version 3 packets (draft-ietf-secsh-filexfer-02 with the
// OpenSSH argument order for SYMLINK), as LXD and Incus speak them on
// GET /1.0/instances/NAME/sftp after an HTTP upgrade: no SSH layer. Pure functions, no I/O:
// encoders append whole packets (length prefix included) to a string; frame_length() finds
// packet boundaries in received bytes; decoders read one packet's body with every length
// checked (errc::protocol_error otherwise).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/error.hpp>
#include <lxd/files.hpp>

namespace lxd::protocol::sftp {

enum class type : std::uint8_t {
    init = 1, version = 2, open = 3, close = 4, read = 5, write = 6, lstat = 7, fstat = 8, setstat = 9,
    fsetstat = 10, opendir = 11, readdir = 12, remove = 13, mkdir = 14, rmdir = 15, realpath = 16, stat = 17,
    rename = 18, readlink = 19, symlink = 20,
    status = 101, handle = 102, data = 103, name = 104, attrs = 105,
};

/// OPEN flags (pflags).
inline constexpr std::uint32_t open_read = 0x01, open_write = 0x02, open_append = 0x04, open_creat = 0x08,
                               open_trunc = 0x10, open_excl = 0x20;

/// Status codes (v3 defines 0-8).
inline constexpr std::uint32_t fx_ok = 0, fx_eof = 1, fx_no_such_file = 2, fx_permission_denied = 3, fx_failure = 4,
                               fx_bad_message = 5, fx_op_unsupported = 8;

/// The largest packet (length field) the servers accept: 256 KiB (pkg/sftp's maxMsgLength).
inline constexpr std::uint32_t max_outgoing = 256u * 1024;
/// The largest packet we accept from a server (its DATA carries at most 32 KiB).
inline constexpr std::uint32_t max_incoming = 320u * 1024;
/// The most a server returns per READ (pkg/sftp caps reads at 32 KiB).
inline constexpr std::uint32_t read_chunk = 32u * 1024;

struct attributes {
    std::optional<std::uint64_t> size;
    std::optional<std::uint32_t> uid, gid;       ///< both or neither on the wire
    std::optional<std::uint32_t> permissions;    ///< st_mode: type bits + 07777
    std::optional<std::uint32_t> atime, mtime;   ///< both or neither on the wire
};

struct name_entry {
    std::string name;
    std::string longname;
    attributes attrs;
};

struct status_reply {
    std::uint32_t code = 0;
    std::string message;
};

/// One received packet: its type, the request id (the version for VERSION), and the bytes
/// after the id.
struct packet {
    std::uint8_t kind = 0;
    std::uint32_t id = 0;
    std::string_view body;
};

// ---- encoders (each appends one whole packet to `out`) ----------------------------------

void encode_init(std::string& out);
/// LSTAT, STAT, OPENDIR, REMOVE, RMDIR, REALPATH, READLINK: id + path.
void encode_path_request(std::string& out, type t, std::uint32_t id, std::string_view path);
/// CLOSE, FSTAT, READDIR: id + handle.
void encode_handle_request(std::string& out, type t, std::uint32_t id, std::string_view handle);
void encode_open(std::string& out, std::uint32_t id, std::string_view path, std::uint32_t pflags, const attributes& a = {});
void encode_read(std::string& out, std::uint32_t id, std::string_view handle, std::uint64_t offset, std::uint32_t length);
/// A WRITE's header for `length` data bytes; the data follows it directly on the wire.
void encode_write_header(std::string& out, std::uint32_t id, std::string_view handle, std::uint64_t offset,
                         std::uint32_t length);
/// SETSTAT (path) or FSETSTAT (handle), MKDIR (path): id + string + ATTRS.
void encode_with_attrs(std::string& out, type t, std::uint32_t id, std::string_view path_or_handle, const attributes& a);
/// SYMLINK: the target first, then the link's path (OpenSSH and pkg/sftp order).
void encode_symlink(std::string& out, std::uint32_t id, std::string_view target, std::string_view link);
void encode_rename(std::string& out, std::uint32_t id, std::string_view from, std::string_view to);
void encode_attrs(std::string& out, const attributes& a);

// ---- framing and decoders ---------------------------------------------------------------

/// The size (4 + length) of the packet at the start of `bytes`, or 0 if it is not all there
/// yet. A length of 0 or over max_incoming is errc::protocol_error.
std::size_t frame_length(std::string_view bytes);
/// Splits one whole packet (as frame_length measured it).
packet parse_packet(std::string_view frame);

std::uint32_t decode_version(const packet& p);
status_reply decode_status(std::string_view body);
std::string decode_handle(std::string_view body);
std::string_view decode_data(std::string_view body);
std::vector<name_entry> decode_name(std::string_view body);
attributes decode_attrs_reply(std::string_view body);

/// The file_info of `a`: type from the mode's type bits ("file", "directory", "symlink",
/// or "fifo", "socket", "char-device", "block-device"), mode & 07777, uid and gid.
file_info info_of(const attributes& a);

/// The lxd::errc of a STATUS: 2 not_found, 3 forbidden, 8 unsupported, 5 protocol_error;
/// 4 (FAILURE) is server_error unless Go's error text says "file exists" or "directory not
/// empty" (conflict), "not a directory" or "is a directory" (invalid_argument).
errc errc_of(const status_reply& s);
/// Throws the error of a non-OK STATUS: the detail is `path`, the server's text the server
/// message, the request "SFTP <op>".
[[noreturn]] void fail_status(const status_reply& s, std::string_view op, std::string_view path);

}  // namespace lxd::protocol::sftp
