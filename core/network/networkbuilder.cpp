#include "core/network/networkbuilder.h"

namespace cdx {

NetworkBuilder::NetworkBuilder(std::string name)
{
    spec_.name = std::move(name);
}

NetworkBuilder& NetworkBuilder::describe(std::string description, std::string source)
{
    spec_.description = std::move(description);
    spec_.source = std::move(source);
    return *this;
}

NetworkBuilder& NetworkBuilder::dimDefault(const std::string& symbol, Dim value)
{
    spec_.dimDefaults[symbol] = value;
    return *this;
}

std::string NetworkBuilder::input(const std::string& name, std::vector<DimValue> dims, DataType type)
{
    spec_.inputs.push_back(TensorSpec{name, std::move(dims), type});
    return name;
}

std::string NetworkBuilder::layer(const std::string& name, LayerKind kind, std::vector<std::string> inputs,
                                  LayerParams params, std::vector<std::string> outputs)
{
    Layer l;
    l.name = name;
    l.kind = kind;
    l.inputs = std::move(inputs);
    l.outputs = std::move(outputs);
    l.params = std::move(params);
    const std::string first = l.outputs.empty() ? name : l.outputs.front();
    spec_.layers.push_back(std::move(l));
    return first;
}

std::string NetworkBuilder::conv2d(const std::string& name, const std::string& in, const Conv2dOptions& o)
{
    ConvParams p;
    p.outChannels = o.out;
    p.kernel = {o.kernel, o.kernel};
    p.stride = {o.stride, o.stride};
    p.dilation = {o.dilation, o.dilation};
    p.padBegin = {o.pad, o.pad};
    p.padEnd = {o.pad, o.pad};
    p.groups = o.groups;
    p.bias = o.bias;
    return layer(name, LayerKind::Conv, {in}, p);
}

std::string NetworkBuilder::fc(const std::string& name, const std::string& in, Dim outFeatures, bool bias)
{
    return layer(name, LayerKind::FullyConnected, {in}, FullyConnectedParams{outFeatures, bias});
}

std::string NetworkBuilder::matmul(const std::string& name, const std::string& a, const std::string& b, bool transposeB)
{
    return layer(name, LayerKind::MatMul, {a, b}, MatMulParams{false, transposeB});
}

std::string NetworkBuilder::batchNorm(const std::string& name, const std::string& in)
{
    return layer(name, LayerKind::BatchNorm, {in}, BatchNormParams{});
}

std::string NetworkBuilder::layerNorm(const std::string& name, const std::string& in)
{
    return layer(name, LayerKind::LayerNorm, {in}, LayerNormParams{-1, 1e-12});
}

std::string NetworkBuilder::activation(const std::string& name, const std::string& in, ActivationFn fn, double alpha,
                                       double beta)
{
    return layer(name, LayerKind::Activation, {in}, ActivationParams{fn, alpha, beta});
}

std::string NetworkBuilder::relu(const std::string& name, const std::string& in)
{
    return activation(name, in, ActivationFn::Relu);
}

std::string NetworkBuilder::maxPool(const std::string& name, const std::string& in, Dim kernel, Dim stride, Dim pad)
{
    PoolParams p;
    p.mode = PoolMode::Max;
    p.kernel = {kernel, kernel};
    p.stride = {stride, stride};
    p.padBegin = {pad, pad};
    p.padEnd = {pad, pad};
    return layer(name, LayerKind::Pool, {in}, p);
}

std::string NetworkBuilder::globalAvgPool(const std::string& name, const std::string& in)
{
    PoolParams p;
    p.mode = PoolMode::Average;
    p.global = true;
    return layer(name, LayerKind::Pool, {in}, p);
}

std::string NetworkBuilder::adaptiveAvgPool(const std::string& name, const std::string& in, Dim size)
{
    PoolParams p;
    p.mode = PoolMode::Average;
    p.outputSize = {size, size};
    return layer(name, LayerKind::Pool, {in}, p);
}

std::string NetworkBuilder::eltwise(const std::string& name, EltwiseOp op, std::vector<std::string> inputs)
{
    return layer(name, LayerKind::Eltwise, std::move(inputs), EltwiseParams{.op = op});
}

std::string NetworkBuilder::scale(const std::string& name, const std::string& in, double factor)
{
    return layer(name, LayerKind::Eltwise, {in}, EltwiseParams{.op = EltwiseOp::Mul, .scalar = factor});
}

std::string NetworkBuilder::softmax(const std::string& name, const std::string& in, Dim axis)
{
    return layer(name, LayerKind::Softmax, {in}, SoftmaxParams{axis});
}

std::string NetworkBuilder::flatten(const std::string& name, const std::string& in, Dim axis)
{
    return layer(name, LayerKind::Flatten, {in}, FlattenParams{axis});
}

std::string NetworkBuilder::reshape(const std::string& name, const std::string& in, std::vector<Dim> shape)
{
    return layer(name, LayerKind::Reshape, {in}, ReshapeParams{std::move(shape)});
}

std::string NetworkBuilder::transpose(const std::string& name, const std::string& in, std::vector<Dim> perm)
{
    return layer(name, LayerKind::Transpose, {in}, TransposeParams{std::move(perm)});
}

NetworkSpec NetworkBuilder::build() &&
{
    return std::move(spec_);
}

}  // namespace cdx
