#pragma once

#include "core/compression/fastalgorithm.h"
#include "core/network/layer.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cdx {

/// A layer's weight operand seen as a matrix: one row per output (output channel, neuron, gate
/// row), one column per input it reads (input channel x kernel tap, for a group convolution
/// those of its group). Row-major values when the network came with them.
struct WeightMatrix {
    std::string name;           ///< "weight"; recurrent layers: "gates", "projection" (".l1" for stacked layers)
    Dim rows = 0;
    Dim cols = 0;
    Dim kernelTaps = 1;         ///< convolutions: kernel elements per input channel (columns come in runs of it)
    std::vector<float> values;  ///< rows x cols, row-major; empty: only the shape is known
    Dim nonFinite = 0;          ///< NaN or infinite values in the file, replaced by 0

    bool hasValues() const { return !values.empty(); }
    Dim size() const { return rows * cols; }
    std::span<const float> row(Dim r) const
    {
        return {values.data() + static_cast<std::size_t>(r * cols), static_cast<std::size_t>(cols)};
    }
};

/// The weight matrices of a MAC layer (convolution, fully connected, recurrent); empty for
/// every other layer. Values are copied (and transposed where the file stores a matrix
/// input-major) when the layer has them and `withValues`; a layer with partial data gets shapes
/// only. Values that are not finite become 0 (and are counted): a damaged file must not poison
/// every figure, nor the sorting of magnitudes.
std::vector<WeightMatrix> weightMatrices(const Layer& layer, bool withValues = true);

/// The inverse of weightMatrices: the layer's weight tensors (role "weight", and for recurrent layers "weight" and "recurrence"),
/// with the shapes and element order of the layer's WeightTensor entries in layer.weightData, values taken from `matrices`
/// (un-transposing input-major matrices, splitting LSTM/GRU/RNN gates back into W and R, etc.).
/// A tensor gets no values where `matrices` has none for it (stacked or projected recurrent
/// layers, whose matrices weightMatrices leaves without values); a layer without such entries in
/// weightData (a JSON network) gets them in the ONNX layout: [M, C/groups, k...], [out, in],
/// W [D, G*H, I] and R [D, G*H, H].
std::vector<WeightTensor> weightTensorsOf(const Layer& layer, const std::vector<WeightMatrix>& matrices);

/// A 1-D or 2-D convolution as the fast algorithms see it (groups and batch as independent
/// convolutions); nullopt for any other layer.
std::optional<FastConvShape> fastConvShape(const Layer& layer);

/// Whether the layer has a weight operand that compression can act on.
bool hasWeightOperand(const Layer& layer);

}  // namespace cdx
