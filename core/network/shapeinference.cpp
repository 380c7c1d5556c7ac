#include "core/network/shapeinference.h"

#include "core/network/network.h"
#include "core/util/checkedmath.h"
#include "core/util/error.h"

#include <algorithm>
#include <numeric>

namespace cdx {

namespace {

[[noreturn]] void fail(const std::string& message)
{
    throw InputError({}, message);
}

std::string str(Dim v) { return std::to_string(v); }

void expectInputs(const Layer& layer, std::size_t min, std::size_t max)
{
    const std::size_t n = layer.inputShapes.size();
    if (n < min || n > max) {
        std::string expected = min == max ? str(static_cast<Dim>(min))
                                          : (max == SIZE_MAX ? "at least " + str(static_cast<Dim>(min))
                                                             : str(static_cast<Dim>(min)) + " to " + str(static_cast<Dim>(max)));
        fail(std::string(layerKindName(layer.kind)) + " takes " + expected + " input(s), got " +
             str(static_cast<Dim>(n)));
    }
}

void expectRank(const Shape& shape, std::size_t min, std::size_t max, const std::string& what)
{
    if (shape.size() < min || shape.size() > max)
        fail(what + " has shape " + formatShape(shape) + " (rank " + str(static_cast<Dim>(shape.size())) +
             "); expected rank " + (min == max ? str(static_cast<Dim>(min)) : str(static_cast<Dim>(min)) + " to " + str(static_cast<Dim>(max))));
}

/// Makes a per-axis vector `n` long: empty becomes `fill`, one value is repeated.
void fillAxes(std::vector<Dim>& values, std::size_t n, Dim fill, const char* what, Dim minimum)
{
    if (values.empty())
        values.assign(n, fill);
    else if (values.size() == 1 && n > 1)
        values.assign(n, values[0]);
    if (values.size() != n)
        fail(std::string(what) + " has " + str(static_cast<Dim>(values.size())) + " values; expected " +
             str(static_cast<Dim>(n)) + " (one per spatial axis)");
    for (Dim v : values)
        if (v < minimum)
            fail(std::string(what) + " must be at least " + str(minimum) + ", got " + str(v));
}

Dim windowOutput(Dim in, Dim padBegin, Dim padEnd, Dim kernel, Dim stride, Dim dilation, bool ceilMode,
                 const char* what)
{
    const Dim span = checkedAdd(checkedMul(dilation, kernel - 1), 1);
    const Dim padded = checkedAdd(checkedAdd(in, padBegin), padEnd);
    if (padded < span)
        fail(std::string(what) + " window of " + str(span) + " does not fit the padded input of " + str(padded));
    Dim out = (padded - span) / stride + 1;
    if (ceilMode && (padded - span) % stride != 0) {
        // PyTorch: an extra window only if it starts inside the input or the left padding.
        if (out * stride < in + padBegin)
            ++out;
    }
    return out;
}

void inferConv(Layer& layer)
{
    auto& p = std::get<ConvParams>(layer.params);
    const bool transposed = layer.kind == LayerKind::ConvTranspose;
    expectInputs(layer, 1, 1);
    if (p.kernel.empty() || p.kernel.size() > 3)
        fail("conv kernel must have 1 to 3 axes, got " + str(static_cast<Dim>(p.kernel.size())));
    const std::size_t axes = p.kernel.size();
    const Shape& in = layer.inputShapes[0];
    expectRank(in, axes + 2, axes + 2, "input");
    for (Dim k : p.kernel)
        if (k < 1)
            fail("kernel size must be at least 1, got " + str(k));
    fillAxes(p.stride, axes, 1, "stride", 1);
    fillAxes(p.dilation, axes, 1, "dilation", 1);
    fillAxes(p.padBegin, axes, 0, "pads", 0);
    if (p.padEnd.empty())
        p.padEnd = p.padBegin;
    fillAxes(p.padEnd, axes, 0, "pads", 0);
    if (transposed)
        fillAxes(p.outputPadding, axes, 0, "output_padding", 0);
    else if (!p.outputPadding.empty())
        fail("output_padding applies to conv_transpose only");
    if (p.outChannels < 1)
        fail("out_channels must be at least 1, got " + str(p.outChannels));
    if (p.groups < 1)
        fail("groups must be at least 1, got " + str(p.groups));
    const Dim channels = in[1];
    if (channels % p.groups != 0)
        fail("input has " + str(channels) + " channels, which groups = " + str(p.groups) + " does not divide");
    if (p.outChannels % p.groups != 0)
        fail("out_channels = " + str(p.outChannels) + " is not divisible by groups = " + str(p.groups));
    Shape out{in[0], p.outChannels};
    for (std::size_t a = 0; a < axes; ++a) {
        if (!transposed) {
            out.push_back(windowOutput(in[a + 2], p.padBegin[a], p.padEnd[a], p.kernel[a], p.stride[a], p.dilation[a],
                                       false, "convolution"));
            continue;
        }
        // (in - 1) * stride + output_padding + dilation * (kernel - 1) + 1 - pads
        const Dim size = checkedAdd(checkedMul(in[a + 2] - 1, p.stride[a]),
                                    checkedAdd(p.outputPadding[a], checkedMul(p.dilation[a], p.kernel[a] - 1) + 1)) -
                         p.padBegin[a] - p.padEnd[a];
        if (size < 1)
            fail("the padding removes the whole output of the transposed convolution");
        out.push_back(size);
    }
    layer.outputShapes = {out};
}

void inferPool(Layer& layer)
{
    auto& p = std::get<PoolParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    expectRank(in, 3, 5, "input");
    const std::size_t axes = in.size() - 2;
    Shape out{in[0], in[1]};
    if (p.global) {
        if (!p.kernel.empty() || !p.outputSize.empty())
            fail("a global pool takes no kernel or output_size");
        out.resize(in.size(), 1);
    } else if (!p.outputSize.empty()) {
        if (!p.kernel.empty())
            fail("an adaptive pool (output_size) takes no kernel");
        fillAxes(p.outputSize, axes, 1, "output_size", 1);
        for (std::size_t a = 0; a < axes; ++a) {
            if (p.outputSize[a] > in[a + 2])
                fail("output_size " + str(p.outputSize[a]) + " is larger than the input's " + str(in[a + 2]));
            out.push_back(p.outputSize[a]);
        }
    } else {
        if (p.kernel.empty())
            fail("pool needs a kernel, output_size, or global = true");
        fillAxes(p.kernel, axes, 1, "kernel", 1);
        if (p.stride.empty())
            p.stride = p.kernel;
        fillAxes(p.stride, axes, 1, "stride", 1);
        fillAxes(p.padBegin, axes, 0, "pads", 0);
        if (p.padEnd.empty())
            p.padEnd = p.padBegin;
        fillAxes(p.padEnd, axes, 0, "pads", 0);
        fillAxes(p.dilation, axes, 1, "dilation", 1);
        for (std::size_t a = 0; a < axes; ++a) {
            const Dim span = (p.kernel[a] - 1) * p.dilation[a] + 1;
            if (p.padBegin[a] >= span || p.padEnd[a] >= span)
                fail("padding must be smaller than the pooling window");
            out.push_back(windowOutput(in[a + 2], p.padBegin[a], p.padEnd[a], p.kernel[a], p.stride[a], p.dilation[a],
                                       p.ceilMode, "pooling"));
        }
    }
    layer.outputShapes = {out};
}

void inferFullyConnected(Layer& layer)
{
    const auto& p = std::get<FullyConnectedParams>(layer.params);
    expectInputs(layer, 1, 1);
    Shape out = layer.inputShapes[0];
    expectRank(out, 1, 8, "input");
    if (p.outFeatures < 1)
        fail("out_features must be at least 1, got " + str(p.outFeatures));
    out.back() = p.outFeatures;
    layer.outputShapes = {out};
}

void inferMatMul(Layer& layer)
{
    const auto& p = std::get<MatMulParams>(layer.params);
    expectInputs(layer, 2, 2);
    Shape a = layer.inputShapes[0];
    Shape b = layer.inputShapes[1];
    expectRank(a, 2, 8, "input A");
    expectRank(b, 2, 8, "input B");
    if (p.transposeA)
        std::swap(a[a.size() - 1], a[a.size() - 2]);
    if (p.transposeB)
        std::swap(b[b.size() - 1], b[b.size() - 2]);
    if (a.back() != b[b.size() - 2])
        fail("inner dimensions differ: A is " + formatShape(a) + " and B is " + formatShape(b) +
             (p.transposeA || p.transposeB ? " (after transposition)" : ""));
    const Shape batchA(a.begin(), a.end() - 2);
    const Shape batchB(b.begin(), b.end() - 2);
    const auto batch = broadcastShapes(batchA, batchB);
    if (!batch)
        fail("batch dimensions " + formatShape(batchA) + " and " + formatShape(batchB) + " cannot be broadcast");
    Shape out = *batch;
    out.push_back(a[a.size() - 2]);
    out.push_back(b.back());
    layer.outputShapes = {out};
}

void inferRecurrent(Layer& layer)
{
    const auto& p = std::get<RecurrentParams>(layer.params);
    expectInputs(layer, 1, 3);  // the sequence, and optionally initial hidden and cell states
    const Shape& in = layer.inputShapes[0];
    expectRank(in, 3, 3, "input [sequence, batch, features]");
    if (p.hidden < 1)
        fail("hidden must be at least 1, got " + str(p.hidden));
    if (p.directions != 1 && p.directions != 2)
        fail("directions must be 1 or 2, got " + str(p.directions));
    if (p.numLayers < 1)
        fail("layers must be at least 1, got " + str(p.numLayers));
    if (p.biasVectors < 0 || p.biasVectors > 2)
        fail("bias_vectors must be 0, 1 or 2, got " + str(p.biasVectors));
    if (p.projection < 0)
        fail("projection must not be negative, got " + str(p.projection));
    if (layer.kind != LayerKind::Lstm && (p.projection > 0 || p.peepholes))
        fail("projection and peepholes exist only for lstm");
    const Dim outWidth = checkedMul(p.directions, p.projection > 0 ? p.projection : p.hidden);
    layer.outputShapes = {Shape{in[0], in[1], outWidth}};
}

void inferEltwise(Layer& layer)
{
    const auto& p = std::get<EltwiseParams>(layer.params);
    if (p.scalar && p.constant)
        fail("an eltwise layer takes a scalar or a constant operand, not both");
    if (p.scalar || p.constant)
        expectInputs(layer, 1, SIZE_MAX);
    else
        expectInputs(layer, 2, SIZE_MAX);
    Shape out = layer.inputShapes[0];
    if (p.constant) {
        for (Dim d : *p.constant)
            if (d < 1)
                fail("constant shape " + formatShape(*p.constant) + " has a dimension below 1");
        const auto b = broadcastShapes(out, *p.constant);
        if (!b)
            fail("input shape " + formatShape(out) + " and constant shape " + formatShape(*p.constant) +
                 " cannot be broadcast together");
        out = *b;
    }
    for (std::size_t i = 1; i < layer.inputShapes.size(); ++i) {
        const auto b = broadcastShapes(out, layer.inputShapes[i]);
        if (!b)
            fail("input shapes " + formatShape(out) + " and " + formatShape(layer.inputShapes[i]) +
                 " cannot be broadcast together");
        out = *b;
    }
    layer.outputShapes = {out};
}

void inferActivation(Layer& layer)
{
    const auto& p = std::get<ActivationParams>(layer.params);
    expectInputs(layer, 1, 1);
    if (p.fn == ActivationFn::Clip && p.alpha > p.beta)
        fail("clip minimum " + std::to_string(p.alpha) + " is above its maximum " + std::to_string(p.beta));
    layer.outputShapes = {layer.inputShapes[0]};
}

void inferSameShape(Layer& layer, std::size_t minRank)
{
    expectInputs(layer, 1, 1);
    expectRank(layer.inputShapes[0], minRank, 8, "input");
    layer.outputShapes = {layer.inputShapes[0]};
}

void inferAxisSameShape(Layer& layer, Dim axis)
{
    inferSameShape(layer, 1);
    if (!normaliseAxis(axis, layer.inputShapes[0].size()))
        fail("axis " + str(axis) + " is out of range for input " + formatShape(layer.inputShapes[0]));
}

void inferReduce(Layer& layer)
{
    auto& p = std::get<ReduceParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    std::vector<bool> reduced(in.size(), p.axes.empty());
    for (Dim axis : p.axes) {
        const auto a = normaliseAxis(axis, in.size());
        if (!a)
            fail("axis " + str(axis) + " is out of range for input " + formatShape(in));
        if (reduced[*a])
            fail("axis " + str(axis) + " is listed twice");
        reduced[*a] = true;
    }
    Shape out;
    for (std::size_t d = 0; d < in.size(); ++d) {
        if (!reduced[d])
            out.push_back(in[d]);
        else if (p.keepDims)
            out.push_back(1);
    }
    layer.outputShapes = {out};
}

void inferEmbedding(Layer& layer)
{
    const auto& p = std::get<EmbeddingParams>(layer.params);
    expectInputs(layer, 1, 1);
    if (p.vocabulary < 1 || p.dim < 1)
        fail("vocabulary and dim must be at least 1");
    Shape out = layer.inputShapes[0];
    out.push_back(p.dim);
    layer.outputShapes = {out};
}

void inferReshape(Layer& layer)
{
    const auto& p = std::get<ReshapeParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    if (p.shape.size() > kMaxRank)  // checked before building it: a shape tensor may be huge
        fail("the target shape has " + str(static_cast<Dim>(p.shape.size())) + " dimensions, more than the limit of " +
             str(static_cast<Dim>(kMaxRank)));
    Shape out;
    int inferred = -1;
    Dim known = 1;
    for (std::size_t i = 0; i < p.shape.size(); ++i) {
        Dim d = p.shape[i];
        if (d == 0) {
            if (i >= in.size())
                fail("shape entry " + str(static_cast<Dim>(i)) + " is 0 (copy) but the input has rank " +
                     str(static_cast<Dim>(in.size())));
            d = in[i];
        } else if (d == -1) {
            if (inferred >= 0)
                fail("more than one -1 in the target shape");
            inferred = static_cast<int>(i);
            out.push_back(-1);
            continue;
        } else if (d < -1) {
            fail("target shape entry " + str(d) + " is negative");
        }
        known = checkedMul(known, d);
        out.push_back(d);
    }
    const Dim total = elementCount(in);
    if (inferred >= 0) {
        if (known == 0 || total % known != 0)
            fail("cannot reshape " + formatShape(in) + " (" + str(total) + " elements) to " + formatShape(p.shape));
        out[static_cast<std::size_t>(inferred)] = total / known;
    } else if (known != total) {
        fail("cannot reshape " + formatShape(in) + " (" + str(total) + " elements) to " + formatShape(out) + " (" +
             str(known) + " elements)");
    }
    layer.outputShapes = {out};
}

void inferTranspose(Layer& layer)
{
    auto& p = std::get<TransposeParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    if (p.perm.empty()) {
        p.perm.resize(in.size());
        std::iota(p.perm.rbegin(), p.perm.rend(), Dim{0});
    }
    if (p.perm.size() != in.size())
        fail("perm has " + str(static_cast<Dim>(p.perm.size())) + " entries but the input " + formatShape(in) +
             " has rank " + str(static_cast<Dim>(in.size())));
    std::vector<bool> seen(in.size(), false);
    Shape out;
    for (Dim axis : p.perm) {
        if (axis < 0 || axis >= static_cast<Dim>(in.size()) || seen[static_cast<std::size_t>(axis)])
            fail("perm is not a permutation of 0.." + str(static_cast<Dim>(in.size()) - 1));
        seen[static_cast<std::size_t>(axis)] = true;
        out.push_back(in[static_cast<std::size_t>(axis)]);
    }
    layer.outputShapes = {out};
}

void inferConcat(Layer& layer)
{
    const auto& p = std::get<ConcatParams>(layer.params);
    expectInputs(layer, 1, SIZE_MAX);
    Shape out = layer.inputShapes[0];
    const auto axis = normaliseAxis(p.axis, out.size());
    if (!axis)
        fail("axis " + str(p.axis) + " is out of range for input " + formatShape(out));
    for (std::size_t i = 1; i < layer.inputShapes.size(); ++i) {
        const Shape& s = layer.inputShapes[i];
        bool compatible = s.size() == out.size();
        for (std::size_t d = 0; compatible && d < s.size(); ++d)
            compatible = d == *axis || s[d] == out[d];
        if (!compatible)
            fail("input " + str(static_cast<Dim>(i)) + " has shape " + formatShape(s) + ", which does not match " +
                 formatShape(layer.inputShapes[0]) + " outside axis " + str(p.axis));
        out[*axis] = checkedAdd(out[*axis], s[*axis]);
    }
    layer.outputShapes = {out};
}

void inferSplit(Layer& layer)
{
    auto& p = std::get<SplitParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    const auto axis = normaliseAxis(p.axis, in.size());
    if (!axis)
        fail("axis " + str(p.axis) + " is out of range for input " + formatShape(in));
    const Dim parts = static_cast<Dim>(layer.outputs.size());
    if (p.sizes.empty()) {
        if (in[*axis] % parts != 0)
            fail("dimension " + str(in[*axis]) + " does not split into " + str(parts) + " equal parts");
        p.sizes.assign(static_cast<std::size_t>(parts), in[*axis] / parts);
    }
    if (static_cast<Dim>(p.sizes.size()) != parts)
        fail("sizes has " + str(static_cast<Dim>(p.sizes.size())) + " entries but the layer has " + str(parts) +
             " outputs");
    Dim sum = 0;
    for (Dim s : p.sizes) {
        if (s < 1)
            fail("split sizes must be at least 1, got " + str(s));
        sum = checkedAdd(sum, s);
    }
    if (sum != in[*axis])
        fail("split sizes add up to " + str(sum) + ", not the dimension " + str(in[*axis]));
    layer.outputShapes.clear();
    for (Dim s : p.sizes) {
        Shape out = in;
        out[*axis] = s;
        layer.outputShapes.push_back(out);
    }
}

void inferSlice(Layer& layer)
{
    auto& p = std::get<SliceParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    if (p.starts.size() != p.ends.size())
        fail("starts and ends differ in length");
    if (p.axes.empty())
        for (std::size_t i = 0; i < p.starts.size(); ++i)
            p.axes.push_back(static_cast<Dim>(i));
    if (p.steps.empty())
        p.steps.assign(p.starts.size(), 1);
    if (p.axes.size() != p.starts.size() || p.steps.size() != p.starts.size())
        fail("axes, starts, ends and steps must have the same length");
    Shape out = in;
    for (std::size_t i = 0; i < p.axes.size(); ++i) {
        const auto axis = normaliseAxis(p.axes[i], in.size());
        if (!axis)
            fail("axis " + str(p.axes[i]) + " is out of range for input " + formatShape(in));
        const Dim dim = in[*axis];
        const Dim step = p.steps[i];
        if (step == 0)
            fail("slice step must not be 0");
        auto clampIndex = [&](Dim v, Dim lo, Dim hi) {
            if (v < 0)
                v += dim;
            return std::clamp(v, lo, hi);
        };
        Dim length = 0;
        if (step > 0) {
            const Dim start = clampIndex(p.starts[i], 0, dim);
            const Dim end = clampIndex(p.ends[i], 0, dim);
            length = end > start ? (end - start + step - 1) / step : 0;
        } else {
            const Dim start = clampIndex(p.starts[i], 0, dim - 1);
            const Dim end = clampIndex(p.ends[i], -1, dim - 1);
            length = start > end ? (start - end - step - 1) / (-step) : 0;
        }
        if (length < 1)
            fail("slice of axis " + str(p.axes[i]) + " is empty");
        out[*axis] = length;
    }
    layer.outputShapes = {out};
}

void inferFlatten(Layer& layer)
{
    const auto& p = std::get<FlattenParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    const Dim rank = static_cast<Dim>(in.size());
    if (p.axis < -rank || p.axis > rank)
        fail("axis " + str(p.axis) + " is out of range for input " + formatShape(in));
    const auto axis = static_cast<std::size_t>(p.axis < 0 ? p.axis + rank : p.axis);
    const Dim outer = elementCount(Shape(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(axis)));
    const Dim inner = elementCount(Shape(in.begin() + static_cast<std::ptrdiff_t>(axis), in.end()));
    layer.outputShapes = {Shape{outer, inner}};
}

void inferPad(Layer& layer)
{
    auto& p = std::get<PadParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    if (p.padBegin.empty())
        p.padBegin.assign(in.size(), 0);
    if (p.padEnd.empty())
        p.padEnd = p.padBegin;
    if (p.padBegin.size() != in.size() || p.padEnd.size() != in.size())
        fail("pads need one begin and one end value per input dimension (" + str(static_cast<Dim>(in.size())) + ")");
    Shape out = in;
    for (std::size_t d = 0; d < in.size(); ++d) {
        if (p.padBegin[d] < 0 || p.padEnd[d] < 0)
            fail("pads must not be negative");
        out[d] = checkedAdd(checkedAdd(in[d], p.padBegin[d]), p.padEnd[d]);
    }
    layer.outputShapes = {out};
}

void inferResize(Layer& layer)
{
    const auto& p = std::get<ResizeParams>(layer.params);
    expectInputs(layer, 1, 1);
    const Shape& in = layer.inputShapes[0];
    if (p.mode != "nearest" && p.mode != "linear" && p.mode != "cubic")
        fail("resize mode must be nearest, linear or cubic, got \"" + p.mode + "\"");
    if (p.scales.empty() == p.sizes.empty())
        fail("resize needs exactly one of scales and sizes");
    Shape out = in;
    if (!p.sizes.empty()) {
        if (p.sizes.size() != in.size())
            fail("sizes needs one value per input dimension (" + str(static_cast<Dim>(in.size())) + ")");
        for (std::size_t d = 0; d < in.size(); ++d) {
            if (p.sizes[d] < 1)
                fail("sizes must be at least 1");
            out[d] = p.sizes[d];
        }
    } else {
        if (p.scales.size() != in.size())
            fail("scales needs one value per input dimension (" + str(static_cast<Dim>(in.size())) + ")");
        for (std::size_t d = 0; d < in.size(); ++d) {
            const double scaled = static_cast<double>(in[d]) * p.scales[d];
            if (!(p.scales[d] > 0.0) || scaled < 1.0 || scaled > 9.0e18)
                fail("scale " + std::to_string(p.scales[d]) + " gives an impossible size");
            out[d] = static_cast<Dim>(scaled);
        }
    }
    layer.outputShapes = {out};
}

void inferOther(Layer& layer)
{
    const auto& p = std::get<OtherParams>(layer.params);
    if (p.outputShapes.size() != layer.outputs.size())
        fail("an \"other\" layer lists one output shape per output: " + str(static_cast<Dim>(p.outputShapes.size())) +
             " shapes for " + str(static_cast<Dim>(layer.outputs.size())) + " outputs");
    for (const Shape& s : p.outputShapes)
        for (Dim d : s)
            if (d < 1)
                fail("output shape " + formatShape(s) + " has a dimension below 1");
    if (p.ops < 0)
        fail("ops must not be negative");
    layer.outputShapes = p.outputShapes;
}

}  // namespace

void inferLayerShapes(Layer& layer)
{
    switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose: inferConv(layer); break;
    case LayerKind::FullyConnected: inferFullyConnected(layer); break;
    case LayerKind::MatMul: inferMatMul(layer); break;
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn: inferRecurrent(layer); break;
    case LayerKind::Pool: inferPool(layer); break;
    case LayerKind::Eltwise: inferEltwise(layer); break;
    case LayerKind::Activation: inferActivation(layer); break;
    case LayerKind::BatchNorm: inferSameShape(layer, 2); break;
    case LayerKind::LayerNorm: inferAxisSameShape(layer, std::get<LayerNormParams>(layer.params).axis); break;
    case LayerKind::Softmax: inferAxisSameShape(layer, std::get<SoftmaxParams>(layer.params).axis); break;
    case LayerKind::Reduce: inferReduce(layer); break;
    case LayerKind::Embedding: inferEmbedding(layer); break;
    case LayerKind::Reshape: inferReshape(layer); break;
    case LayerKind::Transpose: inferTranspose(layer); break;
    case LayerKind::Concat: inferConcat(layer); break;
    case LayerKind::Split: inferSplit(layer); break;
    case LayerKind::Slice: inferSlice(layer); break;
    case LayerKind::Flatten: inferFlatten(layer); break;
    case LayerKind::Pad: inferPad(layer); break;
    case LayerKind::Resize: inferResize(layer); break;
    case LayerKind::Other: inferOther(layer); break;
    }
    if (layer.outputShapes.size() != layer.outputs.size())
        fail(std::string(layerKindName(layer.kind)) + " produces " + str(static_cast<Dim>(layer.outputShapes.size())) +
             " output(s) but the layer names " + str(static_cast<Dim>(layer.outputs.size())));
}

}  // namespace cdx
