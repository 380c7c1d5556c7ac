#pragma once

#include "core/network/network.h"
#include "core/util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace cdx {

/// One network of the built-in zoo.
struct ZooEntry {
    std::string_view name;
    std::string_view summary;  ///< one line for listings
    NetworkSpec (*build)();
};

/// The built-in networks, in the order `cdx networks` lists them.
const std::vector<ZooEntry>& zooEntries();

const ZooEntry* findZooEntry(std::string_view name);

/// The named network, created with the given dimension bindings (batch, seq_len). An unknown
/// name is an error that suggests the closest known one.
Result<Network> loadZooNetwork(std::string_view name, const DimBindings& bindings = {});

}  // namespace cdx
