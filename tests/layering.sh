#!/usr/bin/env bash
# The layers of docs/design.md, checked on the sources: the transport includes no public
# header but <lxd/error.hpp> and nothing of the client layer; the protocol layer includes
# nothing of the transport or the client layer; the CLI, examples and benchmarks include no
# private header. Prints each violation; exits 1 if there is one.
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2
bad=0
report() { echo "layering: $1"; bad=1; }
while IFS= read -r line; do report "transport includes a public header other than <lxd/error.hpp>: $line"; done \
  < <(grep -Hn '#include <lxd/' src/transport/* | grep -v '<lxd/error.hpp>')
while IFS= read -r line; do report "transport includes the client layer: $line"; done \
  < <(grep -Hn '#include "\.\./detail/\|#include "\.\./[a-z_]*\.hpp"' src/transport/*)
while IFS= read -r line; do report "protocol includes the transport or the client layer: $line"; done \
  < <(grep -Hn '#include "\.\./transport/\|#include "\.\./detail/' src/protocol/*)
while IFS= read -r line; do report "a user of the library includes a private header: $line"; done \
  < <(grep -rHn '#include ".*src/\|#include "\.\./\.\./src' tools examples bench 2>/dev/null)
[ "$(ls src/transport/*.hpp | wc -l)" -gt 0 ] || report "src/transport has no headers (run from the source tree)"
exit $bad
