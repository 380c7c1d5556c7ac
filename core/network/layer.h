#pragma once

#include "core/network/layerkind.h"
#include "core/network/layerparams.h"
#include "core/network/shape.h"

#include <cstdint>
#include <memory>
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

/// A constant tensor a layer reads, with its values when the network came with them (ONNX):
/// weights, biases, normalisation statistics, constant operands.
struct WeightTensor {
    std::string role;  ///< "weight", "bias", "recurrence", "scale", "mean", "constant", ...
    Shape shape;
    std::shared_ptr<const std::vector<float>> values;  ///< may be null: shape only
    std::string sourceType = "float32";                ///< element type in the file (int8 if dequantised)
    bool inputMajor = false;  ///< a matrix stored [inputs, outputs] (ONNX MatMul, Gemm without transB)
    /// ONNX only, for the operands compression changes: the node that reads the tensor (named
    /// by its first output, unique in a model) and the input position, so that a measurement can
    /// hand the node the compressed values (core/accuracy).
    std::string sourceNode;
    int sourceInput = -1;
};

/// One node of the network: what it is (name, kind, tensors, parameters) and, once the
/// network is analysed, its shapes and counts.
struct Layer {
    std::string name;
    LayerKind kind = LayerKind::Other;
    std::vector<std::string> inputs;   ///< activation tensors read, by name
    std::vector<std::string> outputs;  ///< tensors written; empty in a spec means one tensor named after the layer
    LayerParams params;
    /// Constants the layer reads, as stored in the file it came from; empty for built-in and
    /// JSON networks. When present, counts.params is the sum of their elements.
    std::vector<WeightTensor> weightData;

    // Filled by Network::create.
    std::vector<Shape> inputShapes;
    std::vector<Shape> outputShapes;
    LayerCounts counts;
    std::string foldsInto;  ///< a BatchNorm that folds into the conv/fc before it names that layer
};

}  // namespace cdx
