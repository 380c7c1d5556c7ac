// Conv, ConvTranspose, pooling and normalisation.
#include "core/onnx/onnxmappers.h"

#include "core/util/checkedmath.h"
#include "core/util/error.h"

namespace cdx {

namespace {

[[noreturn]] void fail(const std::string& message) { throw InputError({}, message); }

std::vector<Dim> perAxis(const OnnxNode& node, const char* key, std::size_t axes, Dim fallback)
{
    auto values = node.intsAttr(key);
    if (values.empty())
        return std::vector<Dim>(axes, fallback);
    if (values.size() != axes)
        fail(std::string(key) + " has " + std::to_string(values.size()) + " values for " + std::to_string(axes) +
             " spatial axes");
    return values;
}

/// Explicit pads from "pads" or "auto_pad" (SAME_UPPER, SAME_LOWER, VALID), given the input's
/// spatial size; ONNX's rule: output = ceil(input / stride).
void resolvePads(const OnnxNode& node, const Shape& in, const std::vector<Dim>& kernel, const std::vector<Dim>& stride,
                 const std::vector<Dim>& dilation, std::vector<Dim>& begin, std::vector<Dim>& end)
{
    const std::size_t axes = kernel.size();
    for (std::size_t a = 0; a < axes; ++a)
        if (kernel[a] < 1 || stride[a] < 1 || dilation[a] < 1)
            fail("kernel_shape, strides and dilations must be 1 or more; axis " + std::to_string(a) + " has " +
                 std::to_string(kernel[a]) + ", " + std::to_string(stride[a]) + " and " + std::to_string(dilation[a]));
    const std::string autoPad = node.stringAttr("auto_pad", "NOTSET");
    begin.assign(axes, 0);
    end.assign(axes, 0);
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        for (std::size_t a = 0; a < axes; ++a) {
            const Dim size = in[a + 2];
            const Dim out = checkedAdd(size, stride[a] - 1) / stride[a];
            const Dim reach = checkedAdd(checkedMul(out - 1, stride[a]), checkedMul(kernel[a] - 1, dilation[a]));
            const Dim total = std::max<Dim>(reach + 1 - size, 0);
            const Dim small = total / 2;
            begin[a] = autoPad == "SAME_UPPER" ? small : total - small;
            end[a] = total - begin[a];
        }
        return;
    }
    if (autoPad != "NOTSET" && autoPad != "VALID")
        fail("unknown auto_pad \"" + autoPad + "\"");
    if (autoPad == "VALID")
        return;
    const auto pads = node.intsAttr("pads");
    if (pads.empty())
        return;
    if (pads.size() != 2 * axes)
        fail("pads has " + std::to_string(pads.size()) + " values; expected " + std::to_string(2 * axes));
    for (std::size_t a = 0; a < axes; ++a) {
        begin[a] = pads[a];
        end[a] = pads[a + axes];
        if (begin[a] < 0 || end[a] < 0)
            fail("negative padding is not supported");
    }
}

void mapConv(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "X");
    const OnnxTensor* w = ctx.constantInput(node, 1);
    if (!w) {
        ctx.warn(node.describe() + ": its weights are computed at run time; kept as an \"other\" layer");
        mapUnmodelled(node, ctx);
        return;
    }
    const Shape& in = ctx.shape(x);
    if (w->dims.size() < 3 || w->dims.size() != in.size())
        fail("weights " + formatShape(w->dims) + " do not match the input " + formatShape(in));
    const std::size_t axes = w->dims.size() - 2;
    ConvParams p;
    p.kernel.assign(w->dims.begin() + 2, w->dims.end());
    p.stride = perAxis(node, "strides", axes, 1);
    p.dilation = perAxis(node, "dilations", axes, 1);
    p.groups = node.intAttr("group", 1);
    resolvePads(node, in, p.kernel, p.stride, p.dilation, p.padBegin, p.padEnd);
    const bool transposed = node.opType == "ConvTranspose";
    if (!transposed) {
        p.outChannels = w->dims[0];
        if (w->dims[1] * p.groups != in[1])
            fail("weights " + formatShape(w->dims) + " with group " + std::to_string(p.groups) + " expect " +
                 std::to_string(w->dims[1] * p.groups) + " input channels; the input " + formatShape(in) + " has " +
                 std::to_string(in[1]));
    } else {
        p.outChannels = w->dims[1] * p.groups;
        if (w->dims[0] != in[1])
            fail("weights " + formatShape(w->dims) + " expect " + std::to_string(w->dims[0]) + " input channels; the input has " +
                 std::to_string(in[1]));
        p.outputPadding = perAxis(node, "output_padding", axes, 0);
        auto outputShape = node.intsAttr("output_shape");
        const std::string autoPad = node.stringAttr("auto_pad", "NOTSET");
        if (outputShape.empty() && (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")) {
            // SAME for a transposed convolution: the output is the input times the stride.
            for (std::size_t a = 0; a < axes; ++a)
                outputShape.push_back(in[a + 2] * p.stride[a]);
            p.padBegin.assign(axes, 0);
            p.padEnd.assign(axes, 0);
        }
        if (!outputShape.empty()) {
            // ONNX: pads follow from the requested output size.
            const std::size_t offset = outputShape.size() == axes ? 0 : 2;
            for (std::size_t a = 0; a < axes; ++a) {
                const Dim total = p.stride[a] * (in[a + 2] - 1) + p.outputPadding[a] +
                                  ((p.kernel[a] - 1) * p.dilation[a] + 1) - outputShape.at(a + offset);
                if (total < 0) {  // the requested output is larger: extra rows at the end
                    p.outputPadding[a] -= total;
                    p.padBegin[a] = p.padEnd[a] = 0;
                    continue;
                }
                const bool upper = node.stringAttr("auto_pad", "NOTSET") == "SAME_UPPER";
                p.padBegin[a] = upper ? total / 2 : total - total / 2;
                p.padEnd[a] = total - p.padBegin[a];
            }
        }
    }
    Layer layer = onnxmap::makeLayer(ctx, node, transposed ? LayerKind::ConvTranspose : LayerKind::Conv, {x}, {});
    layer.weightData.push_back(OnnxImportContext::weightOf(*w, "weight", node, 1));
    if (const auto bias = ctx.weight(node, 2, "bias")) {
        layer.weightData.push_back(*bias);
    } else if (const OnnxNode* add = onnxmap::trailingBiasAdd(ctx, node, p.outChannels, axes)) {
        // A bias added by a separate Add (CNTK, some TensorFlow exports): fold it into the conv.
        layer.weightData.push_back(OnnxImportContext::weightOf(onnxmap::biasOf(ctx, *add, node.outputs[0]), "bias"));
        layer.outputs = {add->outputs[0]};
        ctx.markConsumed(*add);
    } else {
        p.bias = false;
    }
    layer.params = p;
    ctx.emit(node, std::move(layer));
}

void mapPool(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "X");
    const Shape& in = ctx.shape(x);
    if (in.size() < 3)
        fail("pooling needs an input of rank 3 or more, got " + formatShape(in));
    PoolParams p;
    p.mode = node.opType.find("Max") != std::string::npos ? PoolMode::Max : PoolMode::Average;
    if (node.opType.rfind("Global", 0) == 0) {
        p.global = true;
    } else {
        const std::size_t axes = in.size() - 2;
        p.kernel = node.intsAttr("kernel_shape");
        if (p.kernel.size() != axes)
            fail("kernel_shape has " + std::to_string(p.kernel.size()) + " values for " + std::to_string(axes) + " spatial axes");
        p.stride = perAxis(node, "strides", axes, 1);
        p.dilation = perAxis(node, "dilations", axes, 1);
        resolvePads(node, in, p.kernel, p.stride, p.dilation, p.padBegin, p.padEnd);
        p.ceilMode = node.intAttr("ceil_mode", 0) != 0;
    }
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Pool, {x}, p));
    // MaxPool's optional second output, the argmax indices, has the shape of the result.
    if (node.outputs.size() > 1 && !node.outputs[1].empty()) {
        Layer indices = onnxmap::makeLayer(ctx, node, LayerKind::Reshape, {node.outputs[0]}, ReshapeParams{ctx.shape(node.outputs[0])});
        indices.name = ctx.layerName(node, "/indices");
        indices.outputs = {node.outputs[1]};
        ctx.emit(node, std::move(indices));
    }
}

void mapBatchNorm(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "X");
    Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::BatchNorm, {x}, BatchNormParams{node.floatAttr("epsilon", 1e-5)});
    const char* roles[] = {"scale", "bias", "mean", "var"};
    for (std::size_t i = 0; i < 4; ++i)
        layer.weightData.push_back(OnnxImportContext::weightOf(ctx.requireConstant(node, i + 1, roles[i]), roles[i]));
    ctx.emit(node, std::move(layer));
}

void mapLayerNorm(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "X");
    LayerNormParams p{node.intAttr("axis", -1), node.floatAttr("epsilon", 1e-5)};
    Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::LayerNorm, {x}, p);
    layer.weightData.push_back(OnnxImportContext::weightOf(ctx.requireConstant(node, 1, "scale"), "scale"));
    if (const auto bias = ctx.weight(node, 2, "bias"))
        layer.weightData.push_back(*bias);
    ctx.emit(node, std::move(layer));
    // The optional Mean and InvStdDev outputs: per-row statistics, the input reduced over the
    // normalised axes.
    const std::size_t rank = ctx.shape(x).size();
    const auto axis = normaliseAxis(p.axis, rank);
    if (!axis)
        fail("axis " + std::to_string(p.axis) + " is out of range");
    for (std::size_t k = 1; k < node.outputs.size() && k < 3; ++k) {
        if (node.outputs[k].empty())
            continue;
        ReduceParams stats{ReduceOp::Mean, {}, true};
        for (std::size_t d = *axis; d < rank; ++d)
            stats.axes.push_back(static_cast<Dim>(d));
        Layer reduce = onnxmap::makeLayer(ctx, node, LayerKind::Reduce, {x}, stats);
        reduce.name = ctx.layerName(node, k == 1 ? "/mean" : "/inv_std_dev");
        reduce.outputs = {node.outputs[k]};
        ctx.emit(node, std::move(reduce));
    }
}

}  // namespace

void addConvMappers(std::map<std::string, OnnxMapper>& table)
{
    table["Conv"] = mapConv;
    table["ConvTranspose"] = mapConv;
    table["MaxPool"] = mapPool;
    table["AveragePool"] = mapPool;
    table["GlobalAveragePool"] = mapPool;
    table["GlobalMaxPool"] = mapPool;
    table["BatchNormalization"] = mapBatchNorm;
    table["LayerNormalization"] = mapLayerNorm;
}

}  // namespace cdx
