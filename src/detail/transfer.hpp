// src/detail/transfer.hpp — the pieces of a transfer between two servers that instance
// migration (src/migrate.cpp) and custom volume migration (src/storage_transfer.cpp) share:
// the other server's view of an operation, the relay of the two servers' websockets, and
// waiting for (or cancelling) an operation from the I/O thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "calls.hpp"

namespace lxd::detail {

/// https://ADDRESS/1.0/operations/ID on the server's first network address; refuses a
/// server without one (it cannot be reached by the other server: use relay mode).
std::string https_operation_url(const client& c, const std::string& op_id);

/// {operation, certificate, secrets}: how the other server reaches operation `op_id` of
/// `c` (a pull source, or a push target).
boost::json::object peer_of(const client& c, const std::string& op_id, boost::json::object secrets);

/// Cancels an operation; one that has ended already is no error.
void cancel_operation(const client& c, const std::string& id);

/// One request on `c` (from any thread), then the wait for its operation, if it made one;
/// an operation's failure is thrown.
asio::awaitable<void> call_and_wait(std::shared_ptr<core> c, scope sc, http_request r);

/// Waits for the source side's operation of a transfer to end (after the target's
/// succeeded); one the source has forgotten already is no error.
asio::awaitable<void> wait_source_end(std::shared_ptr<core> c, scope sc, std::string op_id);

/// Relay mode: on the target's I/O thread, connects to each websocket both operations
/// offer and pipes them together until either side ends. `drop`: snapshot config keys the
/// source's migration header loses (see src/migrate.cpp).
void spawn_relay(const client& source, const client& target, std::string src_op_id, std::string tgt_op_id,
                 boost::json::object src_secrets, boost::json::object tgt_secrets, std::vector<std::string> drop = {});

}  // namespace lxd::detail
