#!/usr/bin/env bash
# Runs the examples against sandbox daemon 1 so they cannot rot.
set -euo pipefail
bin=$1
sock=${LXDPP_TEST_SOCKET_1:?run through scripts/test}
img=${LXDPP_TEST_IMAGE:?}
name=ex-$$
"$bin/list_instances" "$sock" >/dev/null
out=$("$bin/create_and_start" "$sock" "$img" "$name")
[ "$out" = "$name Running" ] || { echo "create_and_start printed: $out"; exit 1; }
"$bin/list_instances" "$sock" | grep -q "^$name Running container pid=[1-9]" || { echo "list_instances misses $name"; exit 1; }
out=$("$bin/lifecycle" "$sock" "$name")
expected=$'stop: Stopped\nstart: Running\nfreeze: Frozen\nunfreeze: Running\nrestart: Running\nremoved: true'
[ "$out" = "$expected" ] || { echo "lifecycle printed: $out"; exit 1; }
out=$("$bin/demo" "$sock" "$img")
echo "$out" | grep -q "removed: exists = false" || { echo "demo printed: $out"; exit 1; }
echo "examples ok"
