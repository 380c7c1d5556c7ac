#include "core/onnx/onnxmappers.h"

#include "core/util/error.h"

namespace cdx {

OnnxMapper findOnnxMapper(const std::string& opType)
{
    static const std::map<std::string, OnnxMapper> table = [] {
        std::map<std::string, OnnxMapper> t;
        addConvMappers(t);
        addLinearMappers(t);
        addRecurrentMappers(t);
        addElementwiseMappers(t);
        addShapeMappers(t);
        return t;
    }();
    auto it = table.find(opType);
    return it == table.end() ? nullptr : it->second;
}

void mapUnmodelled(const OnnxNode& node, OnnxImportContext& ctx)
{
    std::vector<std::string> inputs;
    for (std::size_t i = 0; i < node.inputs.size(); ++i)
        if (node.hasInput(i) && ctx.isActivation(node.inputs[i]))
            inputs.push_back(ctx.resolve(node.inputs[i]));
    OtherParams p{node.domain.empty() ? node.opType : node.domain + "." + node.opType, {}, 0};
    std::vector<std::string> outputs;
    for (const auto& out : node.outputs) {
        if (out.empty())
            continue;
        auto shape = ctx.recordedShape(out);
        if (!shape) {
            if (inputs.empty())
                throw InputError({}, "the shape of output \"" + out + "\" is unknown: the file records none and the "
                                                                      "tool does not model " + p.opType);
            shape = ctx.shape(inputs[0]);
            ctx.warn(node.describe() + ": output \"" + out + "\" has no recorded shape; assumed to be that of its input");
        }
        p.outputShapes.push_back(*shape);
        p.ops += elementCount(*shape);
        outputs.push_back(out);
    }
    if (inputs.empty()) {
        // Nothing computed flows in: a source of values (a random generator, say). Its output
        // enters the network as an input.
        for (std::size_t k = 0; k < outputs.size(); ++k)
            ctx.addSourceTensor(outputs[k], p.outputShapes[k]);
        ctx.noteUnmodelled(node);
        return;
    }
    Layer layer;
    layer.name = ctx.layerName(node);
    layer.kind = LayerKind::Other;
    layer.inputs = inputs;
    layer.outputs = outputs;
    layer.params = p;
    onnxmap::attachFloatConstants(ctx, node, layer, "constant");
    ctx.noteUnmodelled(node);
    ctx.emit(node, std::move(layer));
}

namespace onnxmap {

Layer makeLayer(OnnxImportContext& ctx, const OnnxNode& node, LayerKind kind, std::vector<std::string> inputs,
                LayerParams params)
{
    Layer layer;
    layer.name = ctx.layerName(node);
    layer.kind = kind;
    layer.inputs = std::move(inputs);
    if (!node.outputs.empty() && !node.outputs[0].empty())
        layer.outputs = {node.outputs[0]};
    layer.params = std::move(params);
    if (!paramsMatchKind(kind, layer.params))
        layer.params = defaultParamsFor(kind);
    return layer;
}

const OnnxNode* trailingBiasAdd(const OnnxImportContext& ctx, const OnnxNode& node, Dim channels, std::size_t axisFromEnd)
{
    if (node.outputs.empty() || node.outputs[0].empty() || ctx.isGraphOutput(node.outputs[0]))
        return nullptr;
    const auto& readers = ctx.consumers(node.outputs[0]);
    if (readers.size() != 1)
        return nullptr;
    const OnnxNode* add = readers[0];
    if (add->opType != "Add" || !add->domain.empty() || add->inputs.size() != 2 || ctx.isConsumed(*add))
        return nullptr;
    const std::string& other = add->inputs[0] == node.outputs[0] ? add->inputs[1] : add->inputs[0];
    const OnnxTensor* c = ctx.constant(other);
    if (!c || !c->hasData() || c->size() != channels)
        return nullptr;
    // The channels must lie on the right axis: [C] for fc, [C, 1, 1] or [1, C, 1, 1] for a 2-D conv.
    const auto& d = c->dims;
    if (d.empty() || d.size() < axisFromEnd + 1 || d[d.size() - 1 - axisFromEnd] != channels)
        return channels == 1 ? add : nullptr;
    return add;
}

const OnnxTensor& biasOf(const OnnxImportContext& ctx, const OnnxNode& add, const std::string& produced)
{
    return *ctx.constant(add.inputs[0] == produced ? add.inputs[1] : add.inputs[0]);
}

void attachFloatConstants(const OnnxImportContext& ctx, const OnnxNode& node, Layer& layer, const char* role)
{
    for (std::size_t i = 0; i < node.inputs.size(); ++i)
        if (const OnnxTensor* c = ctx.constantInput(node, i); c && c->isFloat())
            layer.weightData.push_back(OnnxImportContext::weightOf(*c, role));
}

}  // namespace onnxmap

}  // namespace cdx
