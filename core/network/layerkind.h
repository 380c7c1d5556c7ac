#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace cdx {

/// What a layer computes. The names (layerKindName) are the "kind" strings of the network
/// JSON and of compression rules.
enum class LayerKind {
    Conv,            ///< 1-D/2-D/3-D convolution with groups (depthwise when groups = channels), dilation, stride, padding
    ConvTranspose,   ///< transposed (fractionally strided) convolution
    FullyConnected,  ///< Gemm / Linear over the last dimension
    MatMul,          ///< product of two activations (attention's QK^T and AV), batched
    Lstm,
    Gru,
    Rnn,
    Pool,  ///< max/average, windowed, global or adaptive
    Eltwise,
    Activation,
    BatchNorm,
    LayerNorm,
    Softmax,
    Reduce,  ///< mean, sum, max, min, product or L2 norm over axes
    Embedding,
    Reshape,
    Transpose,
    Concat,
    Split,
    Slice,
    Flatten,
    Pad,
    Resize,
    Other,  ///< an operator the tool does not model; its shapes are given
};

std::string_view layerKindName(LayerKind kind);
std::optional<LayerKind> layerKindFromName(std::string_view name);
const std::vector<LayerKind>& allLayerKinds();

/// Layers whose work is multiply-accumulates on an operand of weights or of two activations.
bool isMacKind(LayerKind kind);
bool isRecurrentKind(LayerKind kind);
/// Layers that only move or reinterpret data.
bool isShapeKind(LayerKind kind);

enum class PoolMode { Max, Average };
enum class EltwiseOp { Add, Sub, Mul, Div, Max, Min, Pow };
enum class ActivationFn {
    Relu, Relu6, LeakyRelu, PRelu, Elu, Sigmoid, Tanh, HardSigmoid, HardSwish, Gelu, Silu, Softplus, Clip,
    Exp, Log, Sqrt, Abs, Neg, Reciprocal, Erf,
};
enum class ReduceOp { Mean, Sum, Max, Min, Prod, L2 };

std::string_view poolModeName(PoolMode mode);
std::optional<PoolMode> poolModeFromName(std::string_view name);
std::string_view eltwiseOpName(EltwiseOp op);
std::optional<EltwiseOp> eltwiseOpFromName(std::string_view name);
std::string_view reduceOpName(ReduceOp op);
std::optional<ReduceOp> reduceOpFromName(std::string_view name);
std::string_view activationName(ActivationFn fn);
std::optional<ActivationFn> activationFromName(std::string_view name);

/// Names of every value of the enum, for error messages that list the choices.
std::vector<std::string_view> poolModeNames();
std::vector<std::string_view> eltwiseOpNames();
std::vector<std::string_view> activationNames();
std::vector<std::string_view> reduceOpNames();
std::vector<std::string_view> layerKindNames();

}  // namespace cdx
