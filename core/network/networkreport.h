#pragma once

#include "core/network/network.h"

#include <nlohmann/json_fwd.hpp>

namespace cdx {

/// The machine-readable description of an analysed network that `cdx inspect --json` prints
/// ("format": "cdx-inspect"): the network, every layer with its shapes and counts, totals and
/// warnings.
nlohmann::ordered_json networkReportJson(const Network& network);

}  // namespace cdx
