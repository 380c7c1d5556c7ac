#pragma once

#include "core/network/layerkind.h"
#include "core/network/layerparams.h"
#include "core/network/shape.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cdx {

/// What one layer costs, counted on its dense shapes (compression is applied later).
struct LayerCounts {
    std::int64_t macs = 0;            ///< multiply-accumulates
    std::int64_t params = 0;          ///< learnable parameters: weights, biases, norm scale/shift, tables
    std::int64_t weights = 0;         ///< elements of the MACs' weight operand (kernel, matrix); 0 for two activations
    std::int64_t inputElements = 0;   ///< activation elements read (all activation inputs)
    std::int64_t outputElements = 0;  ///< activation elements written
    std::int64_t ops = 0;  ///< non-MAC operations: bias adds, comparisons, element-wise and function evaluations
};

/// One node of the network: what it is (name, kind, tensors, parameters) and, once the
/// network is analysed, its shapes and counts.
struct Layer {
    std::string name;
    LayerKind kind = LayerKind::Other;
    std::vector<std::string> inputs;   ///< activation tensors read, by name
    std::vector<std::string> outputs;  ///< tensors written; empty in a spec means one tensor named after the layer
    LayerParams params;

    // Filled by Network::create.
    std::vector<Shape> inputShapes;
    std::vector<Shape> outputShapes;
    LayerCounts counts;
    std::string foldsInto;  ///< a BatchNorm that folds into the conv/fc before it names that layer
};

}  // namespace cdx
