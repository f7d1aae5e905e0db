// lxd/version.hpp
#pragma once
#define LXDPP_VERSION_MAJOR 0
#define LXDPP_VERSION_MINOR 1
#define LXDPP_VERSION_PATCH 0
namespace lxd { inline constexpr const char* version_string = "0.1.0"; }
