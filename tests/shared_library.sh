#!/usr/bin/env bash
# A shared lxdpp exports the public API (the CLI links and runs against it) and nothing else:
# no Boost, Asio or OpenSSL glue, nothing of lxd::detail, lxd::protocol or lxd::transport.
set -euo pipefail
lib=$1 cli=$2
ldd "$cli" | grep -q "$(basename "$lib")" || { echo "$cli is not linked against $lib"; exit 1; }
out=$("$cli" --version)
[ "$out" = "0.1.0" ] || { echo "lxdpp --version printed: $out"; exit 1; }
# A call through the library's client layer: no server at this socket.
conf=$(mktemp -d /tmp/lxdpp-shared.XXXX)
trap 'rm -rf "$conf"' EXIT
set +e
err=$(LXD_CONF=$conf LXD_SOCKET=$conf/none.socket LXD_DIR=$conf "$cli" list 2>&1 >/dev/null)
rc=$?
set -e
[ $rc -eq 1 ] || { echo "lxdpp list without a server exited $rc: $err"; exit 1; }
case $err in Error:*) ;; *) echo "lxdpp list without a server printed: $err"; exit 1 ;; esac
syms=$(nm -D --defined-only -C "$lib" | cut -d' ' -f3-)
count=$(grep -c 'lxd::' <<<"$syms")
[ "$count" -gt 100 ] || { echo "only $count lxd:: symbols exported"; exit 1; }
# The name defined (not a parameter type: private constructors of exported classes take
# detail types) must not be Boost's, Asio's, OpenSSL's or the library's private layers'.
# Boost itself keeps two things visible on purpose, so that they stay one across shared
# objects: error categories (boost::system) and the type information of exceptions and of
# shared_ptr's counted base.
leaks=$(grep -E '(^| for |> )(boost::|lxd::(detail|protocol|transport)::|(SSL|EVP|X509)_)' <<<"$syms" |
  grep -Ev '^((typeinfo|typeinfo name|vtable) for )?boost::(system::|wrapexcept<|exception_detail::|exception\b|gregorian::bad_|detail::sp_counted_base)' || true)
[ -z "$leaks" ] || { echo "private symbols exported:"; head -20 <<<"$leaks"; exit 1; }
echo "shared library ok: $count lxd:: symbols exported, no private ones"
