#include "estimators/engine/problemshapes.h"
#include "estimators/workload/workload.h"

#include "core/util/checkedmath.h"

#include <sstream>
#include <utility>

namespace cdx {

const char* workUnitName(WorkUnit unit)
{
    switch (unit) {
    case WorkUnit::Array: return "array";
    case WorkUnit::Vector: return "vector";
    case WorkUnit::None: return "none";
    }
    return "none";
}

std::string Workload::describe() const
{
    std::ostringstream out;
    if (unit != WorkUnit::Array) {
        out << workUnitName(unit);
        if (vectorOps > 0)
            out << " " << vectorOps << " ops";
        return out.str();
    }
    bool first = true;
    for (int d = 0; d < problem.dims(); ++d) {
        const Dim b = problem.bounds[static_cast<std::size_t>(d)];
        if (b == 1)
            continue;
        out << (first ? "" : " ") << problem.dimNames[static_cast<std::size_t>(d)] << "=" << b;
        first = false;
    }
    if (repeat > 1)
        out << " x" << repeat;
    return out.str();
}

namespace {

/// A layer lowered to one workload, moved in (a braced list would copy its problem).
std::vector<Workload> single(Workload w)
{
    std::vector<Workload> parts;
    parts.push_back(std::move(w));
    return parts;
}

Dim scaled(Dim n, double share)
{
    return std::max<Dim>(1, std::llround(static_cast<double>(n) * share));
}

/// Splits a problem's channels into `groups` independent groups (group and block-diagonal pruning).
void splitGroups(ConvolutionShape& s, Dim groups)
{
    if (groups <= 1)
        return;
    s.g = checkedMul(s.g, groups);
    s.c = std::max<Dim>(1, s.c / groups);
    s.m = std::max<Dim>(1, s.m / groups);
}

Workload base(const Layer& layer, const LayerCompression& compression)
{
    Workload w;
    w.name = layer.name;
    w.layer = layer.name;
    w.kind = layer.kind;
    w.inputElements = layer.counts.inputElements;
    w.outputElements = layer.counts.outputElements;
    w.compression = compression;
    return w;
}

Workload arrayWork(const Layer& layer, const LayerCompression& compression, Problem problem, Dim repeat)
{
    Workload w = base(layer, compression);
    w.unit = WorkUnit::Array;
    w.problem = std::move(problem);
    w.repeat = repeat;
    w.macs = checkedMul(w.problem.operations(), repeat);
    w.denseMacs = w.macs;
    w.weightElements = w.problem.dataSpaceSize(kWeights);
    return w;
}

std::vector<Workload> lowerConv(const Layer& layer, const LayerCompression& compression, const WorkloadEffect& effect)
{
    const auto& p = std::get<ConvParams>(layer.params);
    const Shape& in = layer.inputShapes[0];
    const Shape& out = layer.outputShapes[0];
    const std::size_t spatial = p.kernel.size();
    auto at = [](const std::vector<Dim>& v, std::size_t i) { return i < v.size() ? v[i] : Dim{1}; };
    ConvolutionShape s;
    s.n = in[0];
    s.g = p.groups;
    const bool transpose = layer.kind == LayerKind::ConvTranspose;
    s.c = in[1] / p.groups;
    s.m = p.outChannels / p.groups;
    std::string note;
    // Timeloop's names: R and P along the width (the last axis), S and Q along the height.
    const Shape& grid = transpose ? in : out;  // a transposed conv is its input's grid times the kernel
    if (spatial >= 1) {
        s.r = p.kernel[spatial - 1];
        s.p = grid[in.size() - 1];
        s.strideW = transpose ? 1 : at(p.stride, spatial - 1);
        s.dilationW = at(p.dilation, spatial - 1);
    }
    if (spatial >= 2) {
        s.s = p.kernel[spatial - 2];
        s.q = grid[in.size() - 2];
        s.strideH = transpose ? 1 : at(p.stride, spatial - 2);
        s.dilationH = at(p.dilation, spatial - 2);
    }
    if (spatial >= 3) {
        // Depth: its output positions join the batch and its kernel taps the input channels.
        Dim depthOut = 1, depthKernel = 1;
        for (std::size_t a = 0; a + 2 < spatial; ++a) {
            depthOut = checkedMul(depthOut, grid[2 + a]);
            depthKernel = checkedMul(depthKernel, p.kernel[a]);
        }
        s.n = checkedMul(s.n, depthOut);
        s.c = checkedMul(s.c, depthKernel);
        note = "3-D convolution folded to 2-D (output depth into the batch, kernel depth into the channels)";
    }
    if (transpose)
        note = "transposed convolution modelled as a convolution over its input grid (same MACs and weights; "
               "input and output reuse swapped)";
    const Dim denseMacs = checkedMul(checkedMul(s.n, s.g, s.c, s.m), s.p, s.q, s.r, s.s);
    const bool depthwise = p.groups > 1 && s.c == 1 && s.m == 1;
    if (depthwise) {
        s.g = scaled(s.g, effect.inputChannelKeep);
    } else {
        s.c = scaled(s.c, effect.inputChannelKeep);
        s.m = scaled(s.m, effect.outputChannelKeep);
    }
    splitGroups(s, effect.structuralGroups);
    Workload w = arrayWork(layer, compression, convolutionProblem(s, layer.name), 1);
    w.note = note;
    w.denseMacs = denseMacs;
    w.weightElements = denseMacs == w.macs ? layer.counts.weights : w.problem.dataSpaceSize(kWeights);
    return single(std::move(w));
}

std::vector<Workload> lowerFullyConnected(const Layer& layer, const LayerCompression& compression, const WorkloadEffect& effect)
{
    const auto& p = std::get<FullyConnectedParams>(layer.params);
    const Shape& in = layer.inputShapes[0];
    const Dim inner = in.back();
    const Dim rows = elementCount(in) / std::max<Dim>(inner, 1);
    const Dim denseMacs = checkedMul(rows, p.outFeatures, inner);
    ConvolutionShape s;
    s.n = rows;
    s.m = scaled(p.outFeatures, effect.outputChannelKeep);
    s.c = scaled(inner, effect.inputChannelKeep);
    if (effect.structuralGroups <= 1 && s.m == p.outFeatures && s.c == inner)
        return single(arrayWork(layer, compression, gemmProblem(rows, p.outFeatures, inner, layer.name), 1));
    splitGroups(s, effect.structuralGroups);
    Workload w = arrayWork(layer, compression, convolutionProblem(s, layer.name), 1);
    w.denseMacs = denseMacs;
    return single(std::move(w));
}

std::vector<Workload> lowerMatMul(const Layer& layer, const LayerCompression& compression)
{
    const auto& p = std::get<MatMulParams>(layer.params);
    const Shape& a = layer.inputShapes[0];
    const Shape& out = layer.outputShapes[0];
    const Dim inner = p.transposeA ? a[a.size() - 2] : a.back();
    const Dim rows = out.size() >= 2 ? out[out.size() - 2] : 1;
    const Dim cols = out.back();
    Dim batch = 1;
    for (std::size_t i = 0; i + 2 < out.size(); ++i)
        batch = checkedMul(batch, out[i]);
    ConvolutionShape s;
    s.g = batch;  // heads and batch: independent products
    s.n = rows;
    s.m = cols;
    s.c = inner;
    Workload w = arrayWork(layer, compression, convolutionProblem(s, layer.name), 1);
    w.weightsAreActivations = true;
    w.weightElements = 0;
    return single(std::move(w));
}

/// A GEMM of one recurrent step, split into independent groups by block-diagonal pruning.
Problem stepProblem(Dim batch, Dim outputs, Dim inputs, Dim groups, const std::string& name)
{
    if (groups <= 1)
        return gemmProblem(batch, outputs, inputs, name);
    ConvolutionShape s;
    s.n = batch;
    s.m = outputs;
    s.c = inputs;
    splitGroups(s, groups);
    return convolutionProblem(s, name);
}

std::vector<Workload> lowerRecurrent(const Layer& layer, const LayerCompression& compression, const WorkloadEffect& effect)
{
    const auto& p = std::get<RecurrentParams>(layer.params);
    const Shape& in = layer.inputShapes[0];
    const Dim steps = in[0];
    const Dim batch = in[1];
    const Dim gates = layer.kind == LayerKind::Lstm ? 4 : layer.kind == LayerKind::Gru ? 3 : 1;
    const Dim recurrentWidth = p.projection > 0 ? p.projection : p.hidden;
    std::vector<Workload> out;
    Dim inputWidth = in[2];
    for (Dim l = 0; l < p.numLayers; ++l) {
        const std::string suffix = p.numLayers > 1 ? ".l" + std::to_string(l) : "";
        const Dim repeat = checkedMul(steps, p.directions);
        Workload g = arrayWork(layer, compression,
                               stepProblem(batch, gates * p.hidden, inputWidth + recurrentWidth, effect.structuralGroups, layer.name + suffix + ".gates"),
                               repeat);
        g.denseMacs = checkedMul(repeat, batch, gates * p.hidden, inputWidth + recurrentWidth);
        g.name = layer.name + suffix + ".gates";
        out.push_back(g);
        if (p.projection > 0) {
            Workload proj = arrayWork(layer, compression,
                                      stepProblem(batch, p.projection, p.hidden, effect.structuralGroups, layer.name + suffix + ".proj"), repeat);
            proj.denseMacs = checkedMul(repeat, batch, p.projection, p.hidden);
            proj.name = layer.name + suffix + ".proj";
            out.push_back(proj);
        }
        inputWidth = checkedMul(p.directions, recurrentWidth);
    }
    // The cell's element-wise work (and the peephole products) on the vector unit.
    Workload cell = base(layer, compression);
    cell.name = layer.name + ".cell";
    cell.unit = WorkUnit::Vector;
    cell.vectorOps = layer.counts.ops;
    cell.macs = p.peepholes ? checkedMul(steps, batch, p.directions, p.numLayers, 3 * p.hidden) : 0;
    cell.vectorOps = checkedAdd(cell.vectorOps, cell.macs);
    cell.denseMacs = cell.macs;
    out.push_back(cell);
    // The arrays' workloads take the activations; the cell's only its own state.
    for (auto& w : out)
        if (w.unit == WorkUnit::Array) {
            w.inputElements = checkedMul(w.repeat, w.problem.dataSpaceSize(kInputs));
            w.outputElements = checkedMul(w.repeat, w.problem.dataSpaceSize(kOutputs));
        }
    return out;
}

}  // namespace

std::vector<Workload> lowerLayer(const Layer& layer, const LayerCompression& compression, const WorkloadEffect& effect)
{
    std::vector<Workload> parts;
    switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose: parts = lowerConv(layer, compression, effect); break;
    case LayerKind::FullyConnected: parts = lowerFullyConnected(layer, compression, effect); break;
    case LayerKind::MatMul: parts = lowerMatMul(layer, compression); break;
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn: parts = lowerRecurrent(layer, compression, effect); break;
    default: break;
    }
    if (!parts.empty()) {
        for (auto& w : parts)
            w.effect = effect;
        return parts;
    }
    Workload w = base(layer, compression);
    if (layer.kind == LayerKind::BatchNorm && !layer.foldsInto.empty()) {
        w.note = "folded into " + layer.foldsInto;
        return single(std::move(w));
    }
    w.vectorOps = layer.counts.ops;
    if (layer.kind == LayerKind::Embedding)
        w.vectorOps = layer.counts.outputElements;  // one table read per output element
    w.unit = w.vectorOps > 0 ? WorkUnit::Vector : WorkUnit::None;
    w.macs = layer.counts.macs;
    w.denseMacs = w.macs;
    w.effect = effect;
    return single(std::move(w));
}

}  // namespace cdx
