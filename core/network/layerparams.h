#pragma once

#include "core/network/layerkind.h"
#include "core/network/shape.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cdx {

/// Convolution over 1, 2 or 3 spatial dimensions. Input [N, C, spatial...], weights
/// [M, C/groups, kernel...], output [N, M, spatial'...]. After normalisation every per-axis
/// vector has one entry per spatial dimension.
struct ConvParams {
    Dim outChannels = 0;
    std::vector<Dim> kernel;
    std::vector<Dim> stride;    ///< empty means 1 on every axis
    std::vector<Dim> dilation;  ///< empty means 1 on every axis
    std::vector<Dim> padBegin;  ///< empty means 0 on every axis
    std::vector<Dim> padEnd;    ///< empty means padBegin
    Dim groups = 1;
    bool bias = true;
    std::vector<Dim> outputPadding;  ///< conv_transpose only: extra size at the end of each axis
};

/// y = x W^T + b over the last dimension: input [..., K], output [..., outFeatures].
struct FullyConnectedParams {
    Dim outFeatures = 0;
    bool bias = true;
};

/// Product of two activations A [..., M, K] and B [..., K, N] with broadcast batch dimensions.
struct MatMulParams {
    bool transposeA = false;
    bool transposeB = false;
};

/// LSTM, GRU or plain RNN over a sequence. Input [T, N, I] (sequence first, as in ONNX);
/// output [T, N, directions * (projection ? projection : hidden)].
struct RecurrentParams {
    Dim hidden = 0;
    Dim projection = 0;   ///< LSTMP's recurrent projection (ESE/Google LSTM); 0 = none; LSTM only
    Dim directions = 1;   ///< 1 or 2
    Dim numLayers = 1;    ///< stacked layers; layer l > 0 reads the previous layer's output
    Dim biasVectors = 2;  ///< 0, 1, or 2 bias vectors per gate (ONNX and PyTorch have 2)
    bool peepholes = false;  ///< LSTM diagonal peephole weights from the cell to i, f, o
};

/// Max or average pooling. `global` pools each channel to 1; a non-empty `outputSize` is
/// adaptive pooling (PyTorch's AdaptiveAvgPool) to that spatial size.
struct PoolParams {
    PoolMode mode = PoolMode::Max;
    std::vector<Dim> kernel;
    std::vector<Dim> stride;  ///< empty means the kernel size
    std::vector<Dim> padBegin;
    std::vector<Dim> padEnd;
    std::vector<Dim> dilation;  ///< empty means 1 on every axis
    bool ceilMode = false;
    bool global = false;
    std::vector<Dim> outputSize;
};

/// Element-wise op over one or more inputs with broadcasting. One more operand may be a
/// constant: a known scalar, or a tensor of weights (a per-channel scale, a bias) of a shape.
struct EltwiseParams {
    EltwiseOp op = EltwiseOp::Add;
    std::optional<double> scalar;
    std::optional<Shape> constant;
};

struct ActivationParams {
    ActivationFn fn = ActivationFn::Relu;
    double alpha = 0.0;  ///< leaky_relu slope, elu alpha, hard_sigmoid slope, clip minimum
    double beta = 0.0;   ///< hard_sigmoid offset, clip maximum
};

struct BatchNormParams {
    double epsilon = 1e-5;
};

/// Normalises over the dimensions from `axis` to the last; scale and shift of that size.
struct LayerNormParams {
    Dim axis = -1;
    double epsilon = 1e-5;
};

struct SoftmaxParams {
    Dim axis = -1;
};

/// Reduces over `axes` (all when empty), keeping them as size 1 or dropping them.
struct ReduceParams {
    ReduceOp op = ReduceOp::Mean;
    std::vector<Dim> axes;
    bool keepDims = true;
};

/// Table lookup: integer input [...] -> [..., dim].
struct EmbeddingParams {
    Dim vocabulary = 0;
    Dim dim = 0;
};

/// ONNX semantics: 0 copies the input dimension, -1 is inferred.
struct ReshapeParams {
    std::vector<Dim> shape;
};

struct TransposeParams {
    std::vector<Dim> perm;  ///< empty reverses the dimensions
};

struct ConcatParams {
    Dim axis = 1;
};

/// Splits one input along an axis into as many outputs as the layer has; `sizes` empty means equal parts.
struct SplitParams {
    Dim axis = 0;
    std::vector<Dim> sizes;
};

/// ONNX Slice: per listed axis, [start, end) with step; ends past the dimension are clamped.
struct SliceParams {
    std::vector<Dim> axes;
    std::vector<Dim> starts;
    std::vector<Dim> ends;
    std::vector<Dim> steps;  ///< empty means 1
};

struct FlattenParams {
    Dim axis = 1;
};

/// Constant padding of every dimension of the input.
struct PadParams {
    std::vector<Dim> padBegin;
    std::vector<Dim> padEnd;
};

/// Resize by per-dimension scales (output = floor(input * scale)) or to explicit sizes.
struct ResizeParams {
    std::vector<double> scales;
    std::vector<Dim> sizes;
    std::string mode = "nearest";  ///< nearest, linear or cubic
};

/// An operator the tool does not model: its type, output shapes and, if known, its operation count.
struct OtherParams {
    std::string opType;
    std::vector<Shape> outputShapes;
    Dim ops = 0;
};

using LayerParams = std::variant<ConvParams, FullyConnectedParams, MatMulParams, RecurrentParams, PoolParams,
                                 EltwiseParams, ActivationParams, BatchNormParams, LayerNormParams, SoftmaxParams,
                                 ReduceParams, EmbeddingParams, ReshapeParams, TransposeParams, ConcatParams, SplitParams,
                                 SliceParams, FlattenParams, PadParams, ResizeParams, OtherParams>;

/// The parameter struct a kind uses, default-constructed.
LayerParams defaultParamsFor(LayerKind kind);

/// Whether `params` holds the struct that `kind` uses.
bool paramsMatchKind(LayerKind kind, const LayerParams& params);

}  // namespace cdx
