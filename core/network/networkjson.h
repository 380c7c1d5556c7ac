#pragma once

#include "core/network/network.h"
#include "core/util/result.h"

#include <optional>
#include <string>

namespace cdx {

/// The network JSON format ("format": "cdx-network") this build reads and writes.
inline constexpr int kNetworkFormatVersion = 1;

/// Parses a network JSON document and creates the network. Errors name `file` and the JSON
/// pointer of the problem ("/layers/3/kernel/0"), or line and column for a syntax error.
Result<Network> readNetworkJson(const std::string& text, const std::string& file, const DimBindings& bindings = {});

/// Reads and parses the file at `path`.
Result<Network> loadNetworkFile(const std::string& path, const DimBindings& bindings = {});

/// The network as JSON text: one line per input and per layer; the same network always gives
/// the same bytes, and reading them back gives the same network.
std::string writeNetworkJson(const NetworkSpec& spec);

/// Writes the network to `path` atomically.
std::optional<Error> saveNetworkFile(const Network& network, const std::string& path);

}  // namespace cdx
