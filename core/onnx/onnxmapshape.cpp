// Operators that move or reinterpret data: reshape family, concat, split, slice, pad, resize,
// gather, and the identities (Identity, Dropout, casts, quantise/dequantise of activations).
#include "core/onnx/onnxmappers.h"

#include "core/onnx/onnxconstantfolder.h"
#include "core/util/error.h"

#include <set>

namespace cdx {

namespace {

[[noreturn]] void fail(const std::string& message) { throw InputError({}, message); }

std::vector<std::int64_t> intsFrom(const OnnxNode& node, const OnnxImportContext& ctx, std::size_t input,
                                   const char* attr, std::int64_t inputSince)
{
    if (ctx.opset() >= inputSince)
        return node.hasInput(input) ? ctx.requireConstant(node, input, attr).asInts() : std::vector<std::int64_t>{};
    return node.intsAttr(attr);
}

void emitOther(OnnxImportContext& ctx, const OnnxNode& node, std::vector<std::string> inputs, std::vector<Shape> shapes)
{
    Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::Other, std::move(inputs), {});
    OtherParams p{node.opType, std::move(shapes), 0};
    for (const Shape& s : p.outputShapes)
        p.ops += elementCount(s);
    layer.params = p;
    onnxmap::attachFloatConstants(ctx, node, layer, "constant");
    ctx.emit(node, std::move(layer));
}

void mapAlias(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "input");
    if (node.opType == "QuantizeLinear" || node.opType == "DequantizeLinear")
        ctx.warn(node.describe() + ": quantisation of activations is read as the identity; set precision in the "
                                   "compression plan");
    ctx.alias(node.outputs[0], x);
}

void mapReshape(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "data");
    std::vector<Dim> target;
    if (node.opType == "Reshape") {
        const OnnxTensor* shape = ctx.constantInput(node, 1);
        if (!shape) {
            ctx.warn(node.describe() + ": its target shape is computed at run time; kept as an \"other\" layer");
            mapUnmodelled(node, ctx);
            return;
        }
        target = shape->asInts();
        if (node.intAttr("allowzero", 0) != 0)
            for (Dim d : target)
                if (d == 0)
                    fail("a literal 0 in the target shape makes an empty tensor");
    } else {
        // Squeeze and Unsqueeze: let the folder work out the result's shape on a stand-in that
        // has the activation's shape (they only look at shapes) and write it out.
        OnnxTensor standIn;
        standIn.dims = ctx.shape(x);
        standIn.ints = std::make_shared<const std::vector<std::int64_t>>();
        std::vector<const OnnxTensor*> inputs{&standIn};
        for (std::size_t i = 1; i < node.inputs.size(); ++i)
            inputs.push_back(ctx.constantInput(node, i));
        target = foldOnnxNode(node, inputs, ctx.opset()).at(0).dims;
    }
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Reshape, {x}, ReshapeParams{target}));
}

void mapFlatten(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "input");
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Flatten, {x}, FlattenParams{node.intAttr("axis", 1)}));
}

void mapTranspose(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "data");
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Transpose, {x}, TransposeParams{node.intsAttr("perm")}));
}

bool allZero(const OnnxTensor& t)
{
    if (!t.hasData())
        return false;
    for (std::size_t i = 0; i < static_cast<std::size_t>(t.size()); ++i)
        if (t.value(i) != 0.0)
            return false;
    return true;
}

void mapConcat(const OnnxNode& node, OnnxImportContext& ctx)
{
    std::vector<std::string> activations;
    bool constants = false, zeros = true;
    for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        if (!node.hasInput(i))
            continue;
        if (const OnnxTensor* c = ctx.constantInput(node, i)) {
            constants = true;
            zeros = zeros && allZero(*c);
        } else {
            activations.push_back(ctx.requireActivation(node, i, "operand"));
        }
    }
    const Dim axis = node.intAttr("axis", 1);
    if (!constants) {
        ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Concat, activations, ConcatParams{axis}));
        return;
    }
    if (activations.size() == 1 && zeros) {
        // Zeros concatenated to one activation (tf2onnx's channel padding): a pad.
        const Shape& in = ctx.shape(activations[0]);
        const auto a = normaliseAxis(axis, in.size());
        if (!a)
            fail("axis " + std::to_string(axis) + " is out of range");
        PadParams p{std::vector<Dim>(in.size(), 0), std::vector<Dim>(in.size(), 0)};
        bool before = true;
        for (std::size_t i = 0; i < node.inputs.size(); ++i) {
            if (!node.hasInput(i))
                continue;
            const OnnxTensor* c = ctx.constantInput(node, i);
            if (!c) {
                before = false;
                continue;
            }
            if (c->dims.size() != in.size())
                fail("a constant operand of rank " + std::to_string(c->dims.size()) + " does not match the input");
            (before ? p.padBegin : p.padEnd)[*a] += c->dims[*a];
        }
        ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Pad, activations, p));
        return;
    }
    Shape out = ctx.shape(activations.at(0));
    const auto a = normaliseAxis(axis, out.size());
    if (!a)
        fail("axis " + std::to_string(axis) + " is out of range");
    out[*a] = 0;
    for (std::size_t i = 0; i < node.inputs.size(); ++i)
        if (node.hasInput(i))
            out[*a] += ctx.isConstant(node.inputs[i]) ? ctx.constant(node.inputs[i])->dims.at(*a)
                                                      : ctx.shape(node.inputs[i]).at(*a);
    emitOther(ctx, node, activations, {out});
}

void mapSplit(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "input");
    SplitParams p{node.intAttr("axis", 0), intsFrom(node, ctx, 1, "split", 13)};
    Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::Split, {x}, p);
    layer.outputs = node.outputs;
    for (std::size_t k = 0; k < layer.outputs.size(); ++k)
        if (layer.outputs[k].empty())
            layer.outputs[k] = layer.name + ":" + std::to_string(k);
    ctx.emit(node, std::move(layer));
}

void mapSlice(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "data");
    SliceParams p;
    if (ctx.opset() < 10) {
        p.starts = node.intsAttr("starts");
        p.ends = node.intsAttr("ends");
        p.axes = node.intsAttr("axes");
    } else {
        p.starts = ctx.requireConstant(node, 1, "starts").asInts();
        p.ends = ctx.requireConstant(node, 2, "ends").asInts();
        if (node.hasInput(3))
            p.axes = ctx.requireConstant(node, 3, "axes").asInts();
        if (node.hasInput(4))
            p.steps = ctx.requireConstant(node, 4, "steps").asInts();
    }
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Slice, {x}, p));
}

void mapPad(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "data");
    const std::size_t rank = ctx.shape(x).size();
    const auto pads = ctx.opset() < 11 ? node.intsAttr("pads") : ctx.requireConstant(node, 1, "pads").asInts();
    std::vector<std::int64_t> axes;
    if (ctx.opset() >= 18 && node.hasInput(3))
        axes = ctx.requireConstant(node, 3, "axes").asInts();
    else
        for (std::size_t d = 0; d < rank; ++d)
            axes.push_back(static_cast<std::int64_t>(d));
    if (pads.size() != 2 * axes.size())
        fail("pads has " + std::to_string(pads.size()) + " values for " + std::to_string(axes.size()) + " axes");
    PadParams p{std::vector<Dim>(rank, 0), std::vector<Dim>(rank, 0)};
    for (std::size_t i = 0; i < axes.size(); ++i) {
        const auto a = normaliseAxis(axes[i], rank);
        if (!a)
            fail("pad axis " + std::to_string(axes[i]) + " is out of range");
        if (pads[i] < 0 || pads[i + axes.size()] < 0)
            fail("negative padding (cropping) is not supported");
        p.padBegin[*a] = pads[i];
        p.padEnd[*a] = pads[i + axes.size()];
    }
    Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::Pad, {x}, p);
    if (ctx.opset() >= 11)
        if (const auto value = ctx.weight(node, 2, "constant"); value && ctx.constantInput(node, 2)->isFloat())
            layer.weightData.push_back(*value);
    ctx.emit(node, std::move(layer));
}

void mapResize(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "X");
    ResizeParams p;
    std::string mode = node.stringAttr("mode", "nearest");
    if (mode == "bilinear" || mode == "trilinear")
        mode = "linear";
    p.mode = mode;
    auto nonEmpty = [&](std::size_t i) { return node.hasInput(i) && ctx.constantInput(node, i) && ctx.constantInput(node, i)->size() > 0; };
    if (node.opType == "Upsample" && ctx.opset() < 9) {
        for (double s : node.attribute("scales") ? node.attribute("scales")->floats : std::vector<double>{})
            p.scales.push_back(s);
    } else {
        const std::size_t scalesAt = node.opType == "Upsample" || ctx.opset() < 11 ? 1 : 2;
        if (nonEmpty(scalesAt)) {
            const OnnxTensor& s = ctx.requireConstant(node, scalesAt, "scales");
            for (std::size_t i = 0; i < static_cast<std::size_t>(s.size()); ++i)
                p.scales.push_back(s.value(i));
        } else if (nonEmpty(3)) {
            p.sizes = ctx.requireConstant(node, 3, "sizes").asInts();
        }
    }
    if (p.scales.empty() && p.sizes.empty()) {
        ctx.warn(node.describe() + ": its scales are computed at run time; kept as an \"other\" layer");
        mapUnmodelled(node, ctx);
        return;
    }
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Resize, {x}, p));
}

void mapGather(const OnnxNode& node, OnnxImportContext& ctx)
{
    const OnnxTensor* data = ctx.constantInput(node, 0);
    const Dim axisAttr = node.intAttr("axis", 0);
    if (data) {
        const std::string indices = ctx.requireActivation(node, 1, "indices");
        if (data->dims.size() == 2 && (axisAttr == 0 || axisAttr == -2)) {
            Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::Embedding, {indices},
                                             EmbeddingParams{data->dims[0], data->dims[1]});
            layer.weightData.push_back(OnnxImportContext::weightOf(*data, "table"));
            ctx.emit(node, std::move(layer));
            return;
        }
        Shape out = ctx.shape(indices);
        out.insert(out.end(), data->dims.begin() + 1, data->dims.end());
        emitOther(ctx, node, {indices}, {out});
        return;
    }
    const std::string x = ctx.requireActivation(node, 0, "data");
    const Shape& in = ctx.shape(x);
    const auto axis = normaliseAxis(axisAttr, in.size());
    if (!axis)
        fail("axis " + std::to_string(axisAttr) + " is out of range for " + formatShape(in));
    const OnnxTensor& idx = ctx.requireConstant(node, 1, "indices");
    const auto values = idx.asInts();
    bool contiguous = !values.empty();
    for (std::size_t i = 1; i < values.size(); ++i)
        contiguous = contiguous && values[i] == values[i - 1] + 1;
    if (contiguous && idx.dims.size() <= 1) {
        const Dim start = values[0] < 0 ? values[0] + in[*axis] : values[0];
        const bool dropAxis = idx.dims.empty();
        Layer slice = onnxmap::makeLayer(ctx, node, LayerKind::Slice, {x},
                                         SliceParams{{static_cast<Dim>(*axis)}, {start}, {start + static_cast<Dim>(values.size())}, {}});
        if (dropAxis)
            slice.outputs = {node.outputs[0] + ":slice"};
        const std::string sliced = slice.outputs[0];
        ctx.emit(node, std::move(slice));
        if (dropAxis) {
            Shape target = ctx.shape(sliced);
            target.erase(target.begin() + static_cast<std::ptrdiff_t>(*axis));
            Layer squeeze = onnxmap::makeLayer(ctx, node, LayerKind::Reshape, {sliced}, ReshapeParams{target});
            squeeze.name = ctx.layerName(node, "/squeeze");
            ctx.emit(node, std::move(squeeze));
        }
        return;
    }
    Shape out(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(*axis));
    out.insert(out.end(), idx.dims.begin(), idx.dims.end());
    out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(*axis) + 1, in.end());
    emitOther(ctx, node, {x}, {out});
}

void mapExpandTile(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "input");
    const Shape& in = ctx.shape(x);
    const auto values = ctx.requireConstant(node, 1, node.opType == "Expand" ? "shape" : "repeats").asInts();
    Shape out;
    if (node.opType == "Expand") {
        out = broadcastOrFail(in, Shape(values.begin(), values.end()));
    } else {
        if (values.size() != in.size())
            fail("repeats has " + std::to_string(values.size()) + " values for rank " + std::to_string(in.size()));
        for (std::size_t d = 0; d < in.size(); ++d)
            out.push_back(in[d] * values[d]);
    }
    emitOther(ctx, node, {x}, {out});
}

void mapDepthSpace(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "input");
    Shape s = ctx.shape(x);
    const Dim b = node.intAttr("blocksize", 1);
    if (s.size() != 4 || b < 1)
        fail("needs a 4-D input and a positive blocksize");
    if (node.opType == "DepthToSpace") {
        if (s[1] % (b * b) != 0)
            fail("channels do not divide by blocksize^2");
        s = {s[0], s[1] / (b * b), s[2] * b, s[3] * b};
    } else {
        if (s[2] % b != 0 || s[3] % b != 0)
            fail("height and width do not divide by blocksize");
        s = {s[0], s[1] * b * b, s[2] / b, s[3] / b};
    }
    emitOther(ctx, node, {x}, {s});
}

}  // namespace

void addShapeMappers(std::map<std::string, OnnxMapper>& table)
{
    for (const char* op : {"Identity", "Dropout", "Cast", "CastLike", "QuantizeLinear", "DequantizeLinear"})
        table[op] = mapAlias;
    table["Reshape"] = mapReshape;
    table["Squeeze"] = mapReshape;
    table["Unsqueeze"] = mapReshape;
    table["Flatten"] = mapFlatten;
    table["Transpose"] = mapTranspose;
    table["Concat"] = mapConcat;
    table["Split"] = mapSplit;
    table["Slice"] = mapSlice;
    table["Pad"] = mapPad;
    table["Resize"] = mapResize;
    table["Upsample"] = mapResize;
    table["Gather"] = mapGather;
    table["Expand"] = mapExpandTile;
    table["Tile"] = mapExpandTile;
    table["DepthToSpace"] = mapDepthSpace;
    table["SpaceToDepth"] = mapDepthSpace;
}

}  // namespace cdx
