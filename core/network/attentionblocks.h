#pragma once

#include "core/network/network.h"

#include <string>
#include <vector>

namespace cdx {

/// Scaled dot-product attention found in a network: scores = Q K^T, an optional scale or mask,
/// softmax, context = P V.
struct AttentionBlock {
    std::string scores;   ///< the matmul layer making Q K^T
    std::string softmax;
    std::string context;  ///< the matmul layer making P V
    Dim heads = 1;
    Dim headDim = 0;
    Dim width = 0;     ///< heads x head dimension
    Dim sequence = 0;  ///< query positions
};

/// Every matmul -> [element-wise]* -> softmax -> matmul chain over activations, in layer order.
std::vector<AttentionBlock> findAttentionBlocks(const Network& network);

}  // namespace cdx
