#!/usr/bin/env bash
# cmake --install into a scratch prefix, then build a separate project against it with
# find_package(lxdpp) and with pkg-config, and run both.
set -euo pipefail
src=$1 build=$2 flags=${3:-}
work=$(mktemp -d /tmp/lxdpp-consumer.XXXX)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$(echo "$flags" | grep -o -- '-fsanitize=[^ ]*' || true)" >/dev/null
cmake --build "$work/build" >/dev/null
out=$("$work/build/consumer")
[ "$out" = "0.1.0 connection_failed" ] || { echo "find_package consumer printed: $out"; exit 1; }
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" g++ $flags "$src/tests/consumer/main.cpp" -o "$work/pc-consumer" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs --static lxdpp)
out=$("$work/pc-consumer")
[ "$out" = "0.1.0 connection_failed" ] || { echo "pkg-config consumer printed: $out"; exit 1; }
# The CLI is installed too, and runs from the prefix.
out=$("$work/prefix/bin/lxdpp" --version)
[ "$out" = "0.1.0" ] || { echo "installed lxdpp --version printed: $out"; exit 1; }
echo "consumer ok"
