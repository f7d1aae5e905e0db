// src/protocol/protocol.hpp — the sans-I/O half of lxdpp, in one include: requests as values
// (one builder per REST call, grouped by resource), the response envelope, the JSON codecs,
// input validation and the error factory. No sockets and nothing of the transport here, so
// every branch is unit-tested without a daemon (tests/unit/).
#pragma once

#include "codecs.hpp"
#include "envelope.hpp"
#include "errors.hpp"
#include "escape.hpp"
#include "multipart.hpp"
#include "request.hpp"
#include "validation.hpp"

// One builder per REST call, by resource.
#include "cluster.hpp"
#include "exec.hpp"
#include "files.hpp"
#include "images.hpp"
#include "instances.hpp"
#include "migration.hpp"
#include "server.hpp"
#include "snapshots.hpp"
