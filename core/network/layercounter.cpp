#include "core/network/layercounter.h"

#include "core/util/checkedmath.h"

namespace cdx {

namespace {

Dim product(const std::vector<Dim>& values)
{
    Dim n = 1;
    for (Dim v : values)
        n = checkedMul(n, v);
    return n;
}

void countConv(const Layer& layer, LayerCounts& c)
{
    const auto& p = std::get<ConvParams>(layer.params);
    const Dim channelsPerGroup = layer.inputShapes[0][1] / p.groups;
    const Dim kernelVolume = checkedMul(channelsPerGroup, product(p.kernel));
    c.weights = checkedMul(p.outChannels, kernelVolume);
    c.params = checkedAdd(c.weights, p.bias ? p.outChannels : 0);
    c.macs = checkedMul(c.outputElements, kernelVolume);
    c.ops = p.bias ? c.outputElements : 0;
}

/// Every input element meets every kernel tap of its group's output channels.
void countConvTranspose(const Layer& layer, LayerCounts& c)
{
    const auto& p = std::get<ConvParams>(layer.params);
    const Dim inChannels = layer.inputShapes[0][1];
    const Dim kernelVolume = checkedMul(p.outChannels / p.groups, product(p.kernel));
    c.weights = checkedMul(inChannels, kernelVolume);
    c.params = checkedAdd(c.weights, p.bias ? p.outChannels : 0);
    c.macs = checkedMul(c.inputElements, kernelVolume);
    c.ops = p.bias ? c.outputElements : 0;
}

void countFullyConnected(const Layer& layer, LayerCounts& c)
{
    const auto& p = std::get<FullyConnectedParams>(layer.params);
    const Dim inFeatures = layer.inputShapes[0].back();
    c.weights = checkedMul(inFeatures, p.outFeatures);
    c.params = checkedAdd(c.weights, p.bias ? p.outFeatures : 0);
    c.macs = checkedMul(c.outputElements, inFeatures);
    c.ops = p.bias ? c.outputElements : 0;
}

void countMatMul(const Layer& layer, LayerCounts& c)
{
    const auto& p = std::get<MatMulParams>(layer.params);
    const Shape& a = layer.inputShapes[0];
    const Dim inner = p.transposeA ? a[a.size() - 2] : a.back();
    c.macs = checkedMul(c.outputElements, inner);
}

void countRecurrent(const Layer& layer, LayerCounts& c)
{
    const auto& p = std::get<RecurrentParams>(layer.params);
    const Shape& in = layer.inputShapes[0];
    const Dim steps = checkedMul(in[0], in[1]);  // sequence x batch
    const Dim gates = layer.kind == LayerKind::Lstm ? 4 : layer.kind == LayerKind::Gru ? 3 : 1;
    const Dim cellOps = layer.kind == LayerKind::Lstm ? 9 : layer.kind == LayerKind::Gru ? 8 : 1;
    const Dim h = p.hidden;
    const Dim recurrentWidth = p.projection > 0 ? p.projection : h;
    Dim weightsPerDirectionSum = 0;
    Dim inputWidth = in[2];
    for (Dim l = 0; l < p.numLayers; ++l) {
        Dim w = checkedMul(gates, h, checkedAdd(inputWidth, recurrentWidth));
        if (p.projection > 0)
            w = checkedAdd(w, checkedMul(h, p.projection));
        if (p.peepholes)
            w = checkedAdd(w, checkedMul(3, h));
        weightsPerDirectionSum = checkedAdd(weightsPerDirectionSum, w);
        inputWidth = checkedMul(p.directions, recurrentWidth);
    }
    const Dim weights = checkedMul(p.directions, weightsPerDirectionSum);
    const Dim biases = checkedMul(p.directions, p.numLayers, p.biasVectors, gates, h);
    c.weights = weights;
    c.params = checkedAdd(weights, biases);
    c.macs = checkedMul(steps, weights);
    const Dim opsPerStep = checkedAdd(checkedMul(p.directions, p.numLayers, cellOps, h), biases);
    c.ops = checkedMul(steps, opsPerStep);
}

void countPool(const Layer& layer, LayerCounts& c)
{
    const auto& p = std::get<PoolParams>(layer.params);
    const Shape& in = layer.inputShapes[0];
    const Shape& out = layer.outputShapes[0];
    Dim window = 1;
    for (std::size_t a = 2; a < in.size(); ++a) {
        if (p.global)
            window = checkedMul(window, in[a]);
        else if (!p.outputSize.empty())
            window = checkedMul(window, (in[a] + out[a] - 1) / out[a]);
        else
            window = checkedMul(window, p.kernel[a - 2]);
    }
    c.ops = checkedMul(c.outputElements, window);
}

void countNormalisation(const Layer& layer, LayerCounts& c)
{
    const Shape& in = layer.inputShapes[0];
    if (layer.kind == LayerKind::BatchNorm) {
        c.params = checkedMul(2, in[1]);
        c.ops = checkedMul(2, c.outputElements);
    } else {
        const auto axis = *normaliseAxis(std::get<LayerNormParams>(layer.params).axis, in.size());
        c.params = checkedMul(2, elementCount(Shape(in.begin() + static_cast<std::ptrdiff_t>(axis), in.end())));
        c.ops = checkedMul(7, c.outputElements);
    }
}

void countResize(const Layer& layer, LayerCounts& c)
{
    const auto& p = std::get<ResizeParams>(layer.params);
    if (p.mode == "nearest")
        return;
    Dim resizedAxes = 0;
    for (std::size_t d = 0; d < layer.inputShapes[0].size(); ++d)
        if (layer.outputShapes[0][d] != layer.inputShapes[0][d])
            ++resizedAxes;
    c.ops = checkedMul(c.outputElements, resizedAxes, p.mode == "linear" ? 3 : 7);
}

}  // namespace

LayerCounts countLayer(const Layer& layer)
{
    LayerCounts c;
    for (const Shape& s : layer.inputShapes)
        c.inputElements = checkedAdd(c.inputElements, elementCount(s));
    for (const Shape& s : layer.outputShapes)
        c.outputElements = checkedAdd(c.outputElements, elementCount(s));

    switch (layer.kind) {
    case LayerKind::Conv: countConv(layer, c); break;
    case LayerKind::ConvTranspose: countConvTranspose(layer, c); break;
    case LayerKind::FullyConnected: countFullyConnected(layer, c); break;
    case LayerKind::MatMul: countMatMul(layer, c); break;
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn: countRecurrent(layer, c); break;
    case LayerKind::Pool: countPool(layer, c); break;
    case LayerKind::Eltwise: {
        const auto& p = std::get<EltwiseParams>(layer.params);
        const Dim operands = static_cast<Dim>(layer.inputShapes.size()) + (p.scalar || p.constant ? 1 : 0);
        c.ops = checkedMul(c.outputElements, operands - 1);
        if (p.constant)
            c.params = elementCount(*p.constant);
        break;
    }
    case LayerKind::Activation: c.ops = c.outputElements; break;
    case LayerKind::BatchNorm:
    case LayerKind::LayerNorm: countNormalisation(layer, c); break;
    case LayerKind::Softmax: c.ops = checkedMul(3, c.outputElements); break;
    case LayerKind::Reduce: c.ops = c.inputElements; break;
    case LayerKind::Embedding: {
        const auto& p = std::get<EmbeddingParams>(layer.params);
        c.params = checkedMul(p.vocabulary, p.dim);
        break;
    }
    case LayerKind::Resize: countResize(layer, c); break;
    case LayerKind::Other: c.ops = std::get<OtherParams>(layer.params).ops; break;
    case LayerKind::Reshape:
    case LayerKind::Transpose:
    case LayerKind::Concat:
    case LayerKind::Split:
    case LayerKind::Slice:
    case LayerKind::Flatten:
    case LayerKind::Pad: break;
    }
    // Constants that came with the network are what it stores: count them as they are.
    if (!layer.weightData.empty()) {
        c.params = 0;
        for (const auto& w : layer.weightData)
            c.params = checkedAdd(c.params, elementCount(w.shape));
    }
    return c;
}

}  // namespace cdx
