// include/lxd/transfer_mode.hpp — how data moves between two servers (instance migration,
// image copy).
#pragma once

namespace lxd {

enum class migration_mode {
    automatic,   ///< migrate: relay when either side is reached over a Unix socket, else pull;
                 ///< image copy: pull when the source has a network address, else relay
    pull,        ///< the target daemon connects to the source daemon
    push,        ///< the source daemon connects to the target daemon
    relay,       ///< this client connects to both and carries the data between them
};

}  // namespace lxd
