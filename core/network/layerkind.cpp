#include "core/network/layerkind.h"

#include <array>
#include <utility>

namespace cdx {

namespace {

template <class Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view name)
{
    for (const auto& [value, text] : table)
        if (text == name)
            return value;
    return std::nullopt;
}

template <class Enum, std::size_t N>
std::string_view nameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value)
{
    for (const auto& [v, text] : table)
        if (v == value)
            return text;
    return "?";
}

template <class Enum, std::size_t N>
std::vector<std::string_view> namesOf(const std::array<std::pair<Enum, std::string_view>, N>& table)
{
    std::vector<std::string_view> names;
    for (const auto& entry : table)
        names.push_back(entry.second);
    return names;
}

constexpr std::array<std::pair<LayerKind, std::string_view>, 24> kKinds{{
    {LayerKind::Conv, "conv"},
    {LayerKind::ConvTranspose, "conv_transpose"},
    {LayerKind::FullyConnected, "fc"},
    {LayerKind::MatMul, "matmul"},
    {LayerKind::Lstm, "lstm"},
    {LayerKind::Gru, "gru"},
    {LayerKind::Rnn, "rnn"},
    {LayerKind::Pool, "pool"},
    {LayerKind::Eltwise, "eltwise"},
    {LayerKind::Activation, "activation"},
    {LayerKind::BatchNorm, "batchnorm"},
    {LayerKind::LayerNorm, "layernorm"},
    {LayerKind::Softmax, "softmax"},
    {LayerKind::Reduce, "reduce"},
    {LayerKind::Embedding, "embedding"},
    {LayerKind::Reshape, "reshape"},
    {LayerKind::Transpose, "transpose"},
    {LayerKind::Concat, "concat"},
    {LayerKind::Split, "split"},
    {LayerKind::Slice, "slice"},
    {LayerKind::Flatten, "flatten"},
    {LayerKind::Pad, "pad"},
    {LayerKind::Resize, "resize"},
    {LayerKind::Other, "other"},
}};

constexpr std::array<std::pair<PoolMode, std::string_view>, 2> kPoolModes{{
    {PoolMode::Max, "max"},
    {PoolMode::Average, "avg"},
}};

constexpr std::array<std::pair<EltwiseOp, std::string_view>, 7> kEltwiseOps{{
    {EltwiseOp::Add, "add"},
    {EltwiseOp::Sub, "sub"},
    {EltwiseOp::Mul, "mul"},
    {EltwiseOp::Div, "div"},
    {EltwiseOp::Max, "max"},
    {EltwiseOp::Min, "min"},
    {EltwiseOp::Pow, "pow"},
}};

constexpr std::array<std::pair<ReduceOp, std::string_view>, 6> kReduceOps{{
    {ReduceOp::Mean, "mean"},
    {ReduceOp::Sum, "sum"},
    {ReduceOp::Max, "max"},
    {ReduceOp::Min, "min"},
    {ReduceOp::Prod, "prod"},
    {ReduceOp::L2, "l2"},
}};

constexpr std::array<std::pair<ActivationFn, std::string_view>, 20> kActivations{{
    {ActivationFn::Relu, "relu"},
    {ActivationFn::Relu6, "relu6"},
    {ActivationFn::LeakyRelu, "leaky_relu"},
    {ActivationFn::PRelu, "prelu"},
    {ActivationFn::Elu, "elu"},
    {ActivationFn::Sigmoid, "sigmoid"},
    {ActivationFn::Tanh, "tanh"},
    {ActivationFn::HardSigmoid, "hard_sigmoid"},
    {ActivationFn::HardSwish, "hard_swish"},
    {ActivationFn::Gelu, "gelu"},
    {ActivationFn::Silu, "silu"},
    {ActivationFn::Softplus, "softplus"},
    {ActivationFn::Clip, "clip"},
    {ActivationFn::Exp, "exp"},
    {ActivationFn::Log, "log"},
    {ActivationFn::Sqrt, "sqrt"},
    {ActivationFn::Abs, "abs"},
    {ActivationFn::Neg, "neg"},
    {ActivationFn::Reciprocal, "reciprocal"},
    {ActivationFn::Erf, "erf"},
}};

}  // namespace

std::string_view layerKindName(LayerKind kind) { return nameOf(kKinds, kind); }
std::optional<LayerKind> layerKindFromName(std::string_view name) { return lookup(kKinds, name); }
std::vector<std::string_view> layerKindNames() { return namesOf(kKinds); }

const std::vector<LayerKind>& allLayerKinds()
{
    static const std::vector<LayerKind> kinds = [] {
        std::vector<LayerKind> all;
        for (const auto& entry : kKinds)
            all.push_back(entry.first);
        return all;
    }();
    return kinds;
}

bool isMacKind(LayerKind kind)
{
    switch (kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose:
    case LayerKind::FullyConnected:
    case LayerKind::MatMul:
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn:
        return true;
    default:
        return false;
    }
}

bool isRecurrentKind(LayerKind kind)
{
    return kind == LayerKind::Lstm || kind == LayerKind::Gru || kind == LayerKind::Rnn;
}

bool isShapeKind(LayerKind kind)
{
    switch (kind) {
    case LayerKind::Reshape:
    case LayerKind::Transpose:
    case LayerKind::Concat:
    case LayerKind::Split:
    case LayerKind::Slice:
    case LayerKind::Flatten:
    case LayerKind::Pad:
    case LayerKind::Resize:
        return true;
    default:
        return false;
    }
}

std::string_view poolModeName(PoolMode mode) { return nameOf(kPoolModes, mode); }
std::optional<PoolMode> poolModeFromName(std::string_view name) { return lookup(kPoolModes, name); }
std::vector<std::string_view> poolModeNames() { return namesOf(kPoolModes); }
std::string_view eltwiseOpName(EltwiseOp op) { return nameOf(kEltwiseOps, op); }
std::optional<EltwiseOp> eltwiseOpFromName(std::string_view name) { return lookup(kEltwiseOps, name); }
std::vector<std::string_view> eltwiseOpNames() { return namesOf(kEltwiseOps); }
std::string_view reduceOpName(ReduceOp op) { return nameOf(kReduceOps, op); }
std::optional<ReduceOp> reduceOpFromName(std::string_view name) { return lookup(kReduceOps, name); }
std::vector<std::string_view> reduceOpNames() { return namesOf(kReduceOps); }
std::string_view activationName(ActivationFn fn) { return nameOf(kActivations, fn); }
std::optional<ActivationFn> activationFromName(std::string_view name) { return lookup(kActivations, name); }
std::vector<std::string_view> activationNames() { return namesOf(kActivations); }

}  // namespace cdx
