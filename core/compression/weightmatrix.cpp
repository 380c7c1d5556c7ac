#include "core/compression/weightmatrix.h"

#include "core/util/checkedmath.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace cdx {

namespace {

const WeightTensor* findRole(const Layer& layer, const std::string& role)
{
    for (const auto& w : layer.weightData)
        if (w.role == role)
            return &w;
    return nullptr;
}

bool holds(const WeightTensor* t, Dim elements)
{
    return t && t->values && static_cast<Dim>(t->values->size()) == elements;
}

std::vector<WeightMatrix> convMatrices(const Layer& layer, bool withValues)
{
    const auto& p = std::get<ConvParams>(layer.params);
    WeightMatrix m;
    m.name = "weight";
    Dim taps = 1;
    for (Dim k : p.kernel)
        taps = checkedMul(taps, k);
    const Dim inChannels = layer.inputShapes[0][1];
    const bool transpose = layer.kind == LayerKind::ConvTranspose;
    // A transposed convolution stores [C, M/groups, k...]: one row per input channel.
    m.rows = transpose ? inChannels : p.outChannels;
    m.cols = checkedMul(transpose ? p.outChannels / p.groups : inChannels / p.groups, taps);
    m.kernelTaps = taps;
    const WeightTensor* w = findRole(layer, "weight");
    if (withValues && holds(w, m.size()))
        m.values.assign(w->values->begin(), w->values->end());
    return {std::move(m)};
}

std::vector<WeightMatrix> fullyConnectedMatrices(const Layer& layer, bool withValues)
{
    const auto& p = std::get<FullyConnectedParams>(layer.params);
    WeightMatrix m;
    m.name = "weight";
    m.rows = p.outFeatures;
    m.cols = layer.inputShapes[0].back();
    const WeightTensor* w = findRole(layer, "weight");
    if (withValues && holds(w, m.size())) {
        if (w->inputMajor) {
            m.values.resize(static_cast<std::size_t>(m.size()));
            for (Dim i = 0; i < m.cols; ++i)
                for (Dim o = 0; o < m.rows; ++o)
                    m.values[static_cast<std::size_t>(o * m.cols + i)] = (*w->values)[static_cast<std::size_t>(i * m.rows + o)];
        } else {
            m.values.assign(w->values->begin(), w->values->end());
        }
    }
    return {std::move(m)};
}

/// ONNX keeps W [D, G*H, I] and R [D, G*H, H]; a cell multiplies [W R] by [x; h], so one
/// matrix of D*G*H rows and I + H columns.
void joinInputAndRecurrence(const Layer& layer, WeightMatrix& gates, Dim inputWidth, Dim recurrentWidth)
{
    const WeightTensor* w = findRole(layer, "weight");
    const WeightTensor* r = findRole(layer, "recurrence");
    if (!holds(w, gates.rows * inputWidth) || !holds(r, gates.rows * recurrentWidth))
        return;
    gates.values.resize(static_cast<std::size_t>(gates.size()));
    for (Dim row = 0; row < gates.rows; ++row) {
        auto* out = gates.values.data() + row * gates.cols;
        std::copy_n(w->values->data() + row * inputWidth, inputWidth, out);
        std::copy_n(r->values->data() + row * recurrentWidth, recurrentWidth, out + inputWidth);
    }
}

std::vector<WeightMatrix> recurrentMatrices(const Layer& layer, bool withValues)
{
    const auto& p = std::get<RecurrentParams>(layer.params);
    const Dim gateCount = layer.kind == LayerKind::Lstm ? 4 : layer.kind == LayerKind::Gru ? 3 : 1;
    const Dim recurrentWidth = p.projection > 0 ? p.projection : p.hidden;
    std::vector<WeightMatrix> out;
    Dim inputWidth = layer.inputShapes[0][2];
    for (Dim l = 0; l < p.numLayers; ++l) {
        const std::string suffix = p.numLayers > 1 ? ".l" + std::to_string(l) : "";
        WeightMatrix gates;
        gates.name = "gates" + suffix;
        gates.rows = checkedMul(p.directions, gateCount, p.hidden);
        gates.cols = checkedAdd(inputWidth, recurrentWidth);
        if (withValues && p.numLayers == 1 && p.projection == 0)
            joinInputAndRecurrence(layer, gates, inputWidth, recurrentWidth);
        out.push_back(std::move(gates));
        if (p.projection > 0) {
            WeightMatrix proj;
            proj.name = "projection" + suffix;
            proj.rows = checkedMul(p.directions, p.projection);
            proj.cols = p.hidden;
            out.push_back(std::move(proj));
        }
        inputWidth = checkedMul(p.directions, recurrentWidth);
    }
    return out;
}

/// The layer's entry of `role`, or one in the ONNX layout of `shape` when the layer has none.
WeightTensor tensorFor(const Layer& layer, const std::string& role, Shape shape)
{
    if (const WeightTensor* w = findRole(layer, role)) {
        WeightTensor t = *w;
        t.values = nullptr;
        return t;
    }
    WeightTensor t;
    t.role = role;
    t.shape = std::move(shape);
    return t;
}

Dim elementsOf(const Shape& shape)
{
    Dim n = 1;
    for (Dim d : shape)
        n = checkedMul(n, d);
    return n;
}

std::vector<WeightTensor> convTensors(const Layer& layer, const std::vector<WeightMatrix>& matrices)
{
    const auto& p = std::get<ConvParams>(layer.params);
    const Dim inChannels = layer.inputShapes[0][1];
    const bool transpose = layer.kind == LayerKind::ConvTranspose;
    Shape shape{transpose ? inChannels : p.outChannels, transpose ? p.outChannels / p.groups : inChannels / p.groups};
    shape.insert(shape.end(), p.kernel.begin(), p.kernel.end());
    WeightTensor t = tensorFor(layer, "weight", std::move(shape));
    // Both layouts are already the matrix's rows one after the other.
    if (!matrices.empty() && matrices[0].hasValues() && matrices[0].size() == elementsOf(t.shape))
        t.values = std::make_shared<const std::vector<float>>(matrices[0].values);
    return {std::move(t)};
}

std::vector<WeightTensor> fullyConnectedTensors(const Layer& layer, const std::vector<WeightMatrix>& matrices)
{
    const auto& p = std::get<FullyConnectedParams>(layer.params);
    WeightTensor t = tensorFor(layer, "weight", Shape{p.outFeatures, layer.inputShapes[0].back()});
    if (matrices.empty() || !matrices[0].hasValues() || matrices[0].size() != elementsOf(t.shape))
        return {std::move(t)};
    const WeightMatrix& m = matrices[0];
    if (!t.inputMajor) {
        t.values = std::make_shared<const std::vector<float>>(m.values);
        return {std::move(t)};
    }
    std::vector<float> values(m.values.size());
    for (Dim i = 0; i < m.cols; ++i)
        for (Dim o = 0; o < m.rows; ++o)
            values[static_cast<std::size_t>(i * m.rows + o)] = m.values[static_cast<std::size_t>(o * m.cols + i)];
    t.values = std::make_shared<const std::vector<float>>(std::move(values));
    return {std::move(t)};
}

/// Splits the gates matrix [W R] back into W [D, G*H, I] and R [D, G*H, H] (joinInputAndRecurrence).
std::vector<WeightTensor> recurrentTensors(const Layer& layer, const std::vector<WeightMatrix>& matrices)
{
    const auto& p = std::get<RecurrentParams>(layer.params);
    const Dim gateCount = layer.kind == LayerKind::Lstm ? 4 : layer.kind == LayerKind::Gru ? 3 : 1;
    const Dim recurrentWidth = p.projection > 0 ? p.projection : p.hidden;
    const Dim inputWidth = layer.inputShapes[0][2];
    const Dim gateRows = checkedMul(gateCount, p.hidden);
    std::vector<WeightTensor> out;
    bool any = false;
    for (const auto& w : layer.weightData)
        if (w.role == "weight" || w.role == "recurrence") {
            out.push_back(w);
            out.back().values = nullptr;
            any = true;
        }
    if (!any) {
        out.push_back(tensorFor(layer, "weight", Shape{p.directions, gateRows, inputWidth}));
        out.push_back(tensorFor(layer, "recurrence", Shape{p.directions, gateRows, recurrentWidth}));
    }
    if (matrices.size() != 1 || !matrices[0].hasValues() || matrices[0].cols != inputWidth + recurrentWidth)
        return out;
    const WeightMatrix& m = matrices[0];
    for (auto& t : out) {
        const bool input = t.role == "weight";
        const Dim width = input ? inputWidth : recurrentWidth;
        if (elementsOf(t.shape) != m.rows * width)
            continue;
        std::vector<float> values(static_cast<std::size_t>(m.rows * width));
        for (Dim row = 0; row < m.rows; ++row) {
            const float* from = m.values.data() + row * m.cols + (input ? 0 : inputWidth);
            std::copy_n(from, width, values.data() + row * width);
        }
        t.values = std::make_shared<const std::vector<float>>(std::move(values));
    }
    return out;
}

}  // namespace

std::vector<WeightTensor> weightTensorsOf(const Layer& layer, const std::vector<WeightMatrix>& matrices)
{
    if (!hasWeightOperand(layer))
        return {};
    switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose: return convTensors(layer, matrices);
    case LayerKind::FullyConnected: return fullyConnectedTensors(layer, matrices);
    default: return recurrentTensors(layer, matrices);
    }
}

bool hasWeightOperand(const Layer& layer)
{
    switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose:
    case LayerKind::FullyConnected:
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn: return !layer.inputShapes.empty();
    default: return false;
    }
}

std::vector<WeightMatrix> weightMatrices(const Layer& layer, bool withValues)
{
    if (!hasWeightOperand(layer))
        return {};
    std::vector<WeightMatrix> matrices;
    switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose: matrices = convMatrices(layer, withValues); break;
    case LayerKind::FullyConnected: matrices = fullyConnectedMatrices(layer, withValues); break;
    default: matrices = recurrentMatrices(layer, withValues); break;
    }
    for (auto& m : matrices)
        for (float& v : m.values)
            if (!std::isfinite(v)) {
                v = 0.0f;
                ++m.nonFinite;
            }
    return matrices;
}

std::optional<FastConvShape> fastConvShape(const Layer& layer)
{
    if (layer.kind != LayerKind::Conv || layer.inputShapes.empty() || layer.outputShapes.empty())
        return std::nullopt;
    const auto& p = std::get<ConvParams>(layer.params);
    const std::size_t spatial = p.kernel.size();
    if (spatial < 1 || spatial > 2)
        return std::nullopt;
    const Shape& in = layer.inputShapes[0];
    const Shape& out = layer.outputShapes[0];
    auto at = [](const std::vector<Dim>& v, std::size_t i) { return i < v.size() ? v[i] : Dim{1}; };
    FastConvShape s;
    s.n = checkedMul(in[0], p.groups);
    s.c = in[1] / p.groups;
    s.m = p.outChannels / p.groups;
    s.p = out[out.size() - 1];
    s.r = p.kernel[spatial - 1];
    s.stride = at(p.stride, spatial - 1);
    s.dilation = at(p.dilation, spatial - 1);
    if (spatial == 2) {
        s.q = out[out.size() - 2];
        s.s = p.kernel[0];
        // One stride and dilation for both axes: an anisotropic one is as unusable as the larger.
        s.stride = std::max(s.stride, at(p.stride, 0));
        s.dilation = std::max(s.dilation, at(p.dilation, 0));
    }
    return s;
}

}  // namespace cdx
