// lxd/export.hpp — which of lxdpp's symbols a shared build exports.
//
// The library is compiled with hidden visibility (-fvisibility=hidden); only what is marked
// LXDPP_API is exported from a shared lxdpp: the public classes and free functions of
// include/lxd/. Boost, Asio, OpenSSL glue and everything in src/ stay private, so they can
// change without breaking programs linked against the library. In a static build the
// attribute changes nothing.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define LXDPP_API [[gnu::visibility("default")]]
#else
#define LXDPP_API
#endif
