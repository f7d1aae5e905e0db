// src/protocol/multipart.hpp — multipart/form-data framing (image upload and export).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace lxd::protocol {

/// The value of a header parameter such as boundary= or filename= (quotes removed), or "".
std::string header_parameter(std::string_view header_value, std::string_view name);

/// A file name the server suggested (Content-Disposition), made safe to create in a chosen
/// directory: its last path component, or "" if that is empty, "." or "..".
std::string safe_file_name(std::string_view suggested);

/// The framing of one multipart/form-data body written as a stream: text before each
/// part's bytes, and the closing text.
struct multipart_writer {
    std::string boundary;
    /// "--B\r\nContent-Disposition: form-data; name=...; filename=...\r\n...\r\n\r\n",
    /// preceded by "\r\n" for every part but the first.
    std::string part_header(std::string_view field, std::string_view filename, bool first) const;
    std::string closing() const;   ///< "\r\n--B--\r\n"
};

/// Incremental multipart/form-data parser: feed the body in chunks of any size; parts'
/// bytes are handed on as they arrive, holding back only what could be the start of a
/// boundary. Throws errc::protocol_error (with `request_line`) on malformed input.
class multipart_reader {
public:
    struct part { std::string name, filename; };
    multipart_reader(std::string boundary, std::string request_line);
    /// on_part: a new part begins; on_data: bytes of the current part.
    void feed(std::string_view chunk, const std::function<void(const part&)>& on_part,
              const std::function<void(std::string_view)>& on_data);
    /// Throws unless the closing boundary was seen.
    void finish() const;
    bool done() const { return state_ == state::done; }

private:
    enum class state { preamble, headers, body, after_boundary, done };
    std::string delimiter_;   // "\r\n--" + boundary
    std::string rl_;
    std::string buf_;
    state state_ = state::preamble;
};

}  // namespace lxd::protocol
