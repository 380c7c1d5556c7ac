#pragma once

#include "core/network/shape.h"

#include <optional>
#include <string_view>
#include <vector>

namespace cdx {

/// How a layer's kept weights are laid out in memory.
enum class StorageFormat {
    Auto,       ///< the natural layout of the pruning: dense, csc for unstructured, group indices for topk/nm, ...
    Dense,      ///< every weight, zeros included
    Csc,        ///< compressed sparse column: value + i-bit relative row index per entry, padding zeros, column pointers
    Bitmap,     ///< one bit per weight plus the nonzero values
    Block,      ///< kept blocks with a block-column index each and block-row pointers
    Circulant,  ///< one vector of b values per circulant block
    GroupIndex, ///< topk / nm: each kept value with its position in its group (log2 group bits)
};

std::string_view storageFormatName(StorageFormat format);
std::optional<StorageFormat> storageFormatFromName(std::string_view name);
std::vector<std::string_view> storageFormatNames();

struct StorageSpec {
    StorageFormat format = StorageFormat::Auto;
    int indexBits = 4;  ///< csc: bits of the relative index (EIE, ESE: 4)
    Dim pes = 0;        ///< csc: PEs with their own columns (rows interleaved); 0 = the pruning's pes, else 1
    Dim blockSize = 0;  ///< block: edge of a block; 0 = the pruning's block size, else 4
    bool operator==(const StorageSpec&) const = default;
};

}  // namespace cdx
