// lxd/lxd.hpp — the umbrella header of lxdpp.
#pragma once

#include <lxd/api/cluster.hpp>
#include <lxd/api/profile.hpp>
#include <lxd/api/event.hpp>
#include <lxd/api/image.hpp>
#include <lxd/api/instance.hpp>
#include <lxd/api/operation.hpp>
#include <lxd/api/server.hpp>
#include <lxd/client.hpp>
#include <lxd/cluster.hpp>
#include <lxd/error.hpp>
#include <lxd/events.hpp>
#include <lxd/exec.hpp>
#include <lxd/files.hpp>
#include <lxd/images.hpp>
#include <lxd/instances.hpp>
#include <lxd/operation.hpp>
#include <lxd/server.hpp>
#include <lxd/snapshots.hpp>
#include <lxd/networks.hpp>
#include <lxd/profiles.hpp>
#include <lxd/projects.hpp>
#include <lxd/tls.hpp>
#include <lxd/version.hpp>
