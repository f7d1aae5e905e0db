#include "sftp_session.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <boost/asio/detached.hpp>

#include "../protocol/errors.hpp"

namespace lxd::transport {

namespace {
using asio::use_awaitable;
constexpr std::size_t rx_capacity = 2 * sftp::max_incoming;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}
}  // namespace

asio::awaitable<std::pair<byte_stream, std::string>> http_client::open_upgraded(protocol::request r, scope sc,
                                                                                std::string proto) {
    auto deadline = clock::now() + r.timeout.value_or(sc.timeout);
    auto target = target_for(r, sc);
    auto rl = r.line();
    auto conn = co_await connect(deadline, rl);
    http::request<http::empty_body> req{beast_verb_of(r.method), target, 11};
    set_common_headers(req, r);
    boost::system::error_code ec;
    conn->stream.expires_at(deadline);
    co_await http::async_write(conn->stream, req, asio::redirect_error(use_awaitable, ec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    if (!ec) co_await http::async_read_header(conn->stream, conn->buffer, parser, asio::redirect_error(use_awaitable, ec));
    requests.fetch_add(1, std::memory_order_relaxed);
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "no answer to the upgrade in time", ec);
    if (ec) fail_transport(errc::connection_lost, rl, "the upgrade to " + proto + " failed", ec);
    auto status = static_cast<int>(parser.get().result_int());
    if (status != 101) {
        if (!parser.is_done()) co_await http::async_read(conn->stream, conn->buffer, parser, asio::redirect_error(use_awaitable, ec));
        auto& res = parser.get();
        protocol::parse_envelope(status >= 400 ? status : 500, res[http::field::content_type], res.body(), rl);
        protocol::fail(errc::protocol_error, "the server declined the upgrade to " + proto, rl, {.http_status = status});
    }
    if (!iequals(parser.get()[http::field::upgrade], proto))
        protocol::fail(errc::protocol_error, "the server answered 101 without Upgrade: " + proto, rl, {.http_status = 101});
    conn->stream.expires_never();
    auto leftover = beast::buffers_to_string(conn->buffer.data());
    co_return std::pair{std::move(conn->stream), std::move(leftover)};
}

sftp_session::sftp_session(byte_stream s, std::string leftover, std::chrono::milliseconds timeout, std::string rl)
    : stream_(std::move(s)), rx_(rx_capacity), wake_(stream_.get_executor(), clock::time_point::max()),
      write_wake_(stream_.get_executor(), clock::time_point::max()), watchdog_(stream_.get_executor()),
      last_rx_(clock::now()), timeout_(timeout), rl_(std::move(rl)) {
    if (leftover.size() > rx_.size()) rx_.resize(leftover.size());
    std::memcpy(rx_.data(), leftover.data(), leftover.size());
    re_ = leftover.size();
}

sftp_session::~sftp_session() { stream_.close(); }

asio::awaitable<std::shared_ptr<sftp_session>> sftp_session::open(http_client& http, protocol::request upgrade, scope sc) {
    auto rl = "SFTP " + upgrade.path;
    auto timeout = upgrade.timeout.value_or(sc.timeout);
    auto [stream, leftover] = co_await http.open_upgraded(std::move(upgrade), std::move(sc), "sftp");
    auto s = std::make_shared<sftp_session>(std::move(stream), std::move(leftover), timeout, rl);
    s->start();
    co_await s->handshake();
    co_return s;
}

void sftp_session::start() {
    auto ex = stream_.get_executor();
    asio::co_spawn(ex, [self = shared_from_this()] { return self->reader(); }, asio::detached);
    asio::co_spawn(ex, [self = shared_from_this()] { return self->writer(); }, asio::detached);
    asio::co_spawn(ex, [self = shared_from_this()] { return self->watchdog(); }, asio::detached);
}

asio::awaitable<void> sftp_session::handshake() {
    // VERSION carries no id: it completes the slot of id 0, which INIT stands for.
    std::string p;
    sftp::encode_init(p);
    auto s = co_await call(std::move(p), 0);
    if (s->kind != static_cast<std::uint8_t>(sftp::type::version))
        protocol::fail_protocol(rl_, "the server did not answer SFTP INIT with VERSION");
}

void sftp_session::close() {
    if (!broken_) broken_ = protocol::make_error(errc::connection_lost, "the SFTP session was closed", rl_);
    closed_ = true;
    stream_.close();
    wake_.cancel();
    write_wake_.cancel();
    watchdog_.cancel();
}

void sftp_session::fail_all(errc code, std::string what) {
    if (!broken_) broken_ = protocol::make_error(code, std::move(what), rl_);
    close();
}

sftp_session::slot_ptr sftp_session::send(std::string packet, std::uint32_t id) {
    if (broken_) throw *broken_;
    auto s = std::make_shared<slot>();
    if (pending_.empty()) last_rx_ = clock::now();   // the watchdog counts from the first outstanding request
    pending_.emplace(id, s);
    out_.push_back(std::move(packet));
    write_wake_.cancel();
    return s;
}

asio::awaitable<void> sftp_session::wait(const slot& s) {
    while (!s.done) {
        if (broken_) throw *broken_;
        boost::system::error_code ec;
        co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
}

asio::awaitable<sftp_session::slot_ptr> sftp_session::call(std::string packet, std::uint32_t id) {
    auto s = send(std::move(packet), id);
    co_await wait(*s);
    co_return s;
}

asio::awaitable<void> sftp_session::writer() {
    std::vector<std::string> sending;
    std::vector<asio::const_buffer> bufs;
    while (!closed_) {
        if (out_.empty()) {
            boost::system::error_code ec;
            co_await write_wake_.async_wait(asio::redirect_error(use_awaitable, ec));
            continue;
        }
        sending.clear();
        bufs.clear();
        while (!out_.empty() && sending.size() < 32) {
            sending.push_back(std::move(out_.front()));
            out_.pop_front();
        }
        for (auto& p : sending) bufs.emplace_back(p.data(), p.size());
        boost::system::error_code ec;
        co_await asio::async_write(stream_, bufs, asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (!closed_) fail_all(errc::connection_lost, "the SFTP session broke while sending: " + ec.message());
            co_return;
        }
    }
}

void sftp_session::dispatch() {
    bool any = false;
    for (;;) {
        std::string_view bytes(rx_.data() + rb_, re_ - rb_);
        auto n = sftp::frame_length(bytes);
        if (n == 0) break;
        auto p = sftp::parse_packet(bytes.substr(0, n));
        // VERSION answers INIT, which has no id: its slot is 0.
        auto id = p.kind == static_cast<std::uint8_t>(sftp::type::version) ? 0u : p.id;
        auto it = pending_.find(id);
        if (it == pending_.end()) protocol::fail_protocol(rl_, "SFTP reply to unknown request " + std::to_string(id));
        it->second->kind = p.kind;
        it->second->body.assign(p.kind == static_cast<std::uint8_t>(sftp::type::version) ? std::string_view{} : p.body);
        it->second->done = true;
        pending_.erase(it);
        rb_ += n;
        any = true;
    }
    if (rb_ == re_) rb_ = re_ = 0;
    if (any) wake_.cancel();
}

asio::awaitable<void> sftp_session::reader() {
    while (!closed_) {
        try {
            dispatch();
        } catch (const lxd::error& e) {
            if (!broken_) broken_ = e;
            close();
            co_return;
        }
        if (rx_.size() - re_ < 64 * 1024 && rb_ > 0) {
            std::memmove(rx_.data(), rx_.data() + rb_, re_ - rb_);
            re_ -= rb_;
            rb_ = 0;
        }
        boost::system::error_code ec;
        auto n = co_await stream_.async_read_some(asio::buffer(rx_.data() + re_, rx_.size() - re_),
                                                  asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (!closed_) fail_all(errc::connection_lost, "the SFTP session was closed by the server: " + ec.message());
            co_return;
        }
        re_ += n;
        last_rx_ = clock::now();
    }
}

asio::awaitable<void> sftp_session::watchdog() {
    while (!closed_) {
        watchdog_.expires_after(timeout_);
        boost::system::error_code ec;
        co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
        if (closed_) co_return;
        if (!pending_.empty() && clock::now() - last_rx_ >= timeout_)
            fail_all(errc::timeout, "no SFTP answer within " + std::to_string(timeout_.count()) + " ms");
    }
}

void sftp_session::expect(const slot& s, sftp::type kind, const char* op, const std::string& path) const {
    if (s.kind == static_cast<std::uint8_t>(sftp::type::status)) {
        auto st = sftp::decode_status(s.body);
        if (st.code == sftp::fx_ok && kind == sftp::type::status) return;
        if (st.code == sftp::fx_ok || st.code == sftp::fx_eof)
            protocol::fail_protocol("SFTP " + std::string(op), "unexpected SFTP status " + std::to_string(st.code) + " for " + path);
        sftp::fail_status(st, op, path);
    }
    if (s.kind == static_cast<std::uint8_t>(kind)) return;
    protocol::fail_protocol("SFTP " + std::string(op), "unexpected SFTP reply type " + std::to_string(s.kind) + " for " + path);
}

void sftp_session::expect_ok(const slot& s, const char* op, const std::string& path) const {
    expect(s, sftp::type::status, op, path);
}


// ---- requests ------------------------------------------------------------------------------

asio::awaitable<std::optional<sftp::attributes>> sftp_session::lstat(const std::string& path, bool follow) {
    std::string p;
    auto id = next_id();
    sftp::encode_path_request(p, follow ? sftp::type::stat : sftp::type::lstat, id, path);
    auto s = co_await call(std::move(p), id);
    if (s->kind == static_cast<std::uint8_t>(sftp::type::status) && sftp::decode_status(s->body).code == sftp::fx_no_such_file)
        co_return std::nullopt;
    expect(*s, sftp::type::attrs, follow ? "STAT" : "LSTAT", path);
    co_return sftp::decode_attrs_reply(s->body);
}

asio::awaitable<sftp::attributes> sftp_session::fstat(const std::string& handle, const std::string& path) {
    std::string p;
    auto id = next_id();
    sftp::encode_handle_request(p, sftp::type::fstat, id, handle);
    auto s = co_await call(std::move(p), id);
    expect(*s, sftp::type::attrs, "FSTAT", path);
    co_return sftp::decode_attrs_reply(s->body);
}

asio::awaitable<std::string> sftp_session::open_file(const std::string& path, std::uint32_t pflags) {
    std::string p;
    auto id = next_id();
    sftp::encode_open(p, id, path, pflags);
    auto s = co_await call(std::move(p), id);
    expect(*s, sftp::type::handle, "OPEN", path);
    co_return sftp::decode_handle(s->body);
}

asio::awaitable<void> sftp_session::close_handle(const std::string& handle, const std::string& path) {
    std::string p;
    auto id = next_id();
    sftp::encode_handle_request(p, sftp::type::close, id, handle);
    auto s = co_await call(std::move(p), id);
    expect_ok(*s, "CLOSE", path);
}

asio::awaitable<void> sftp_session::status_call(sftp::type t, const std::string& target, const std::string& path,
                                                std::optional<sftp::attributes> a) {
    std::string p;
    auto id = next_id();
    if (a) sftp::encode_with_attrs(p, t, id, target, *a);
    else sftp::encode_path_request(p, t, id, target);
    auto s = co_await call(std::move(p), id);
    const char* op = t == sftp::type::remove ? "REMOVE" : t == sftp::type::rmdir ? "RMDIR" : t == sftp::type::mkdir ? "MKDIR"
                     : t == sftp::type::setstat ? "SETSTAT" : "FSETSTAT";
    expect_ok(*s, op, path);
}

asio::awaitable<void> sftp_session::symlink(const std::string& target, const std::string& link) {
    std::string p;
    auto id = next_id();
    sftp::encode_symlink(p, id, target, link);
    auto s = co_await call(std::move(p), id);
    expect_ok(*s, "SYMLINK", link);
}

asio::awaitable<std::string> sftp_session::readlink(const std::string& path) {
    std::string p;
    auto id = next_id();
    sftp::encode_path_request(p, sftp::type::readlink, id, path);
    auto s = co_await call(std::move(p), id);
    expect(*s, sftp::type::name, "READLINK", path);
    auto names = sftp::decode_name(s->body);
    if (names.size() != 1) protocol::fail_protocol("SFTP READLINK", "READLINK answered with " + std::to_string(names.size()) + " names");
    co_return std::move(names[0].name);
}

asio::awaitable<std::vector<sftp::name_entry>> sftp_session::list(const std::string& path) {
    std::string p;
    auto id = next_id();
    sftp::encode_path_request(p, sftp::type::opendir, id, path);
    auto s = co_await call(std::move(p), id);
    expect(*s, sftp::type::handle, "OPENDIR", path);
    auto handle = sftp::decode_handle(s->body);
    std::vector<sftp::name_entry> out;
    for (;;) {
        p.clear();
        id = next_id();
        sftp::encode_handle_request(p, sftp::type::readdir, id, handle);
        s = co_await call(std::move(p), id);
        if (s->kind == static_cast<std::uint8_t>(sftp::type::status) && sftp::decode_status(s->body).code == sftp::fx_eof) break;
        expect(*s, sftp::type::name, "READDIR", path);
        for (auto& e : sftp::decode_name(s->body))
            if (e.name != "." && e.name != "..") out.push_back(std::move(e));
    }
    co_await close_handle(handle, path);
    co_return out;
}

asio::awaitable<std::uint64_t> sftp_session::read_file(const std::string& handle, std::uint64_t size, const body_sink& sink,
                                                       const std::string& path) {
    // READs of at most 32 KiB (what the servers answer) cut to end at `size`, then one READ
    // at `size` that should be EOF. A short DATA asks for the rest before the next chunk
    // counts; a file that grew is read on to its EOF.
    struct chunk {
        std::uint64_t off;
        std::uint32_t len;
        bool probe;
        slot_ptr s;
    };
    std::deque<chunk> q;
    std::uint64_t next = 0, limit = size, total = 0;
    bool probe_sent = false, ended = false;
    std::exception_ptr err;
    auto issue = [&](std::uint64_t off, std::uint32_t len, bool probe, bool front) {
        std::string p;
        auto id = next_id();
        sftp::encode_read(p, id, handle, off, len);
        chunk c{off, len, probe, send(std::move(p), id)};
        if (front) q.push_front(std::move(c));
        else q.push_back(std::move(c));
    };
    auto fill = [&] {
        while (!ended && q.size() < read_window) {
            if (next < limit) {
                auto len = static_cast<std::uint32_t>(std::min<std::uint64_t>(sftp::read_chunk, limit - next));
                issue(next, len, false, false);
                next += len;
            } else if (!probe_sent) {
                issue(next, sftp::read_chunk, true, false);
                next += sftp::read_chunk;
                probe_sent = true;
            } else {
                break;
            }
        }
    };
    fill();
    while (!q.empty()) {
        auto c = std::move(q.front());
        q.pop_front();
        co_await wait(*c.s);
        if (ended) continue;   // draining the answers still due
        try {
            if (c.s->kind == static_cast<std::uint8_t>(sftp::type::status) && sftp::decode_status(c.s->body).code == sftp::fx_eof) {
                ended = true;
                continue;
            }
            expect(*c.s, sftp::type::data, "READ", path);
            auto d = sftp::decode_data(c.s->body);
            if (d.size() > c.len) protocol::fail_protocol("SFTP READ", "more data than asked for " + path);
            if (!d.empty()) sink(d);
            total += d.size();
            if (d.size() < c.len) issue(c.off + d.size(), static_cast<std::uint32_t>(c.len - d.size()), c.probe, true);
            else if (c.probe) limit = ~std::uint64_t{0};   // it grew: read on to EOF
        } catch (...) {
            err = std::current_exception();
            ended = true;
            continue;
        }
        fill();
    }
    if (err) std::rethrow_exception(err);
    co_return total;
}

asio::awaitable<std::uint64_t> sftp_session::write_file(const std::string& handle, std::uint64_t offset,
                                                        const body_source& source, const std::string& path) {
    std::deque<slot_ptr> q;
    std::uint64_t off = offset;
    bool eof = false;
    std::exception_ptr err;
    for (;;) {
        while (!eof && !err && q.size() < write_window) {
            std::string p;
            auto id = next_id();
            sftp::encode_write_header(p, id, handle, off, write_chunk);
            auto h = p.size();
            p.resize(h + write_chunk);
            std::size_t n = 0;
            try {
                n = std::min<std::size_t>(source(p.data() + h, write_chunk), write_chunk);
            } catch (...) {
                err = std::current_exception();
                break;
            }
            if (n == 0) {
                eof = true;
                break;
            }
            if (n < write_chunk) {
                p.resize(h + n);
                std::string hdr;
                sftp::encode_write_header(hdr, id, handle, off, static_cast<std::uint32_t>(n));
                std::memcpy(p.data(), hdr.data(), hdr.size());
            }
            q.push_back(send(std::move(p), id));
            off += n;
        }
        if (q.empty()) break;
        auto s = std::move(q.front());
        q.pop_front();
        co_await wait(*s);
        if (!err) {
            try {
                expect_ok(*s, "WRITE", path);
            } catch (...) {
                err = std::current_exception();
            }
        }
    }
    if (err) std::rethrow_exception(err);
    co_return off - offset;
}

}  // namespace lxd::transport
