#include "core/network/layerjson.h"

#include "core/util/jsonreader.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cdx {

namespace {

using ordered_json = nlohmann::ordered_json;

std::string joined(const std::vector<std::string_view>& names)
{
    std::string text;
    for (const auto& n : names)
        text += (text.empty() ? "" : ", ") + std::string(n);
    return text;
}

/// A per-axis value: one integer (repeated on every axis) or an array.
std::vector<Dim> readAxes(JsonObject& o, std::string_view key, Dim min)
{
    const auto v = o.optional(key);
    if (!v)
        return {};
    if (v->isNumber())
        return {v->asInt(min)};
    auto values = v->asIntArray(min);
    if (values.empty())
        v->fail("must not be empty");
    return values;
}

/// Padding: one integer, one per axis (symmetric), or begin values then end values.
void readPads(JsonObject& o, std::size_t axes, std::vector<Dim>& begin, std::vector<Dim>& end)
{
    const auto v = o.optional("pads");
    if (!v)
        return;
    const std::vector<Dim> pads = v->isNumber() ? std::vector<Dim>{v->asInt(0)} : v->asIntArray(0);
    if (pads.size() == 1 || pads.size() == axes) {
        begin = pads;
        end = pads;
    } else if (pads.size() == 2 * axes) {
        begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(axes));
        end.assign(pads.begin() + static_cast<std::ptrdiff_t>(axes), pads.end());
    } else {
        v->fail("needs 1, " + std::to_string(axes) + " or " + std::to_string(2 * axes) + " values for " +
                std::to_string(axes) + " spatial axes");
    }
}

template <class Enum>
Enum readEnum(JsonObject& o, std::string_view key, std::optional<Enum> (*fromName)(std::string_view),
              std::vector<std::string_view> (*names)())
{
    const auto v = o.required(key);
    const std::string text = v.asString();
    if (auto value = fromName(text))
        return *value;
    v.fail("unknown value \"" + text + "\"; expected one of " + joined(names()));
}

LayerParams readConv(JsonObject& o)
{
    ConvParams p;
    p.outChannels = o.requiredInt("out_channels", 1);
    const auto kernel = o.required("kernel");
    p.kernel = kernel.asIntArray(1);
    if (p.kernel.empty() || p.kernel.size() > 3)
        kernel.fail("needs 1 to 3 values (one per spatial axis)");
    p.stride = readAxes(o, "stride", 1);
    p.dilation = readAxes(o, "dilation", 1);
    readPads(o, p.kernel.size(), p.padBegin, p.padEnd);
    p.groups = o.optionalInt("groups", 1, 1);
    p.bias = o.optionalBool("bias", true);
    return p;
}

LayerParams readConvTranspose(JsonObject& o)
{
    auto p = std::get<ConvParams>(readConv(o));
    p.outputPadding = readAxes(o, "output_padding", 0);
    return p;
}

LayerParams readReduce(JsonObject& o)
{
    ReduceParams p;
    p.op = readEnum(o, "op", reduceOpFromName, reduceOpNames);
    if (o.has("axes"))
        p.axes = o.required("axes").asIntArray();
    p.keepDims = o.optionalBool("keep_dims", true);
    return p;
}

LayerParams readRecurrent(JsonObject& o)
{
    RecurrentParams p;
    p.hidden = o.requiredInt("hidden", 1);
    p.projection = o.optionalInt("projection", 0, 0);
    p.directions = o.optionalInt("directions", 1, 1, 2);
    p.numLayers = o.optionalInt("layers", 1, 1);
    p.biasVectors = o.optionalInt("bias_vectors", 2, 0, 2);
    p.peepholes = o.optionalBool("peepholes", false);
    return p;
}

LayerParams readPool(JsonObject& o)
{
    PoolParams p;
    p.mode = readEnum(o, "mode", poolModeFromName, poolModeNames);
    p.global = o.optionalBool("global", false);
    p.outputSize = readAxes(o, "output_size", 1);
    p.kernel = readAxes(o, "kernel", 1);
    p.stride = readAxes(o, "stride", 1);
    p.dilation = readAxes(o, "dilation", 1);
    readPads(o, std::max<std::size_t>(p.kernel.size(), 1), p.padBegin, p.padEnd);
    p.ceilMode = o.optionalBool("ceil_mode", false);
    return p;
}

LayerParams readActivation(JsonObject& o)
{
    ActivationParams p;
    p.fn = readEnum(o, "function", activationFromName, activationNames);
    switch (p.fn) {
    case ActivationFn::LeakyRelu: p.alpha = o.optionalNumber("alpha", 0.01); break;
    case ActivationFn::Elu: p.alpha = o.optionalNumber("alpha", 1.0); break;
    case ActivationFn::HardSigmoid:
        p.alpha = o.optionalNumber("alpha", 0.2);
        p.beta = o.optionalNumber("beta", 0.5);
        break;
    case ActivationFn::Clip:
        p.alpha = o.optionalNumber("min", 0.0);
        p.beta = o.optionalNumber("max", 6.0);
        break;
    default: break;
    }
    return p;
}

LayerParams readResize(JsonObject& o)
{
    ResizeParams p;
    if (const auto scales = o.optional("scales"))
        for (const auto& s : scales->asArray())
            p.scales.push_back(s.asNumber());
    if (const auto sizes = o.optional("sizes"))
        p.sizes = sizes->asIntArray(1);
    p.mode = o.optionalString("mode", "nearest");
    return p;
}

LayerParams readOther(JsonObject& o)
{
    OtherParams p;
    p.opType = o.requiredString("op_type");
    for (const auto& shape : o.required("output_shapes").asArray())
        p.outputShapes.push_back(shape.asIntArray(1));
    p.ops = o.optionalInt("ops", 0, 0);
    return p;
}

LayerParams readParams(LayerKind kind, JsonObject& o)
{
    switch (kind) {
    case LayerKind::Conv: return readConv(o);
    case LayerKind::ConvTranspose: return readConvTranspose(o);
    case LayerKind::Reduce: return readReduce(o);
    case LayerKind::FullyConnected: return FullyConnectedParams{o.requiredInt("out_features", 1), o.optionalBool("bias", true)};
    case LayerKind::MatMul: return MatMulParams{o.optionalBool("transpose_a", false), o.optionalBool("transpose_b", false)};
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn: return readRecurrent(o);
    case LayerKind::Pool: return readPool(o);
    case LayerKind::Eltwise: {
        EltwiseParams p;
        p.op = readEnum(o, "op", eltwiseOpFromName, eltwiseOpNames);
        if (const auto scalar = o.optional("scalar"))
            p.scalar = scalar->asNumber();
        if (const auto constant = o.optional("constant_shape"))
            p.constant = constant->asIntArray(1);
        return p;
    }
    case LayerKind::Activation: return readActivation(o);
    case LayerKind::BatchNorm: return BatchNormParams{o.optionalNumber("epsilon", 1e-5)};
    case LayerKind::LayerNorm: return LayerNormParams{o.optionalInt("axis", -1), o.optionalNumber("epsilon", 1e-5)};
    case LayerKind::Softmax: return SoftmaxParams{o.optionalInt("axis", -1)};
    case LayerKind::Embedding: return EmbeddingParams{o.requiredInt("vocabulary", 1), o.requiredInt("dim", 1)};
    case LayerKind::Reshape: return ReshapeParams{o.required("shape").asIntArray(-1)};
    case LayerKind::Transpose: return TransposeParams{o.optional("perm") ? o.required("perm").asIntArray(0) : std::vector<Dim>{}};
    case LayerKind::Concat: return ConcatParams{o.optionalInt("axis", 1)};
    case LayerKind::Split:
        return SplitParams{o.optionalInt("axis", 0), o.optional("sizes") ? o.required("sizes").asIntArray(1) : std::vector<Dim>{}};
    case LayerKind::Slice: {
        SliceParams p;
        p.starts = o.required("starts").asIntArray();
        p.ends = o.required("ends").asIntArray();
        if (o.has("axes"))
            p.axes = o.required("axes").asIntArray();
        if (o.has("steps"))
            p.steps = o.required("steps").asIntArray();
        return p;
    }
    case LayerKind::Flatten: return FlattenParams{o.optionalInt("axis", 1)};
    case LayerKind::Pad: {
        PadParams p;
        const auto pads = o.required("pads");
        const auto values = pads.asIntArray(0);
        if (values.size() % 2 != 0)
            pads.fail("needs begin values then end values, one each per dimension");
        p.padBegin.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2));
        p.padEnd.assign(values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
        return p;
    }
    case LayerKind::Resize: return readResize(o);
    case LayerKind::Other: return readOther(o);
    }
    return OtherParams{};
}

// ---- writing ----

bool allEqual(const std::vector<Dim>& values, Dim v)
{
    return std::all_of(values.begin(), values.end(), [v](Dim x) { return x == v; });
}

void writePads(ordered_json& j, const std::vector<Dim>& begin, const std::vector<Dim>& end)
{
    if (allEqual(begin, 0) && allEqual(end, 0))
        return;
    if (begin == end) {
        j["pads"] = begin;
    } else {
        std::vector<Dim> pads = begin;
        pads.insert(pads.end(), end.begin(), end.end());
        j["pads"] = pads;
    }
}

void writeConv(ordered_json& j, const ConvParams& p)
{
    j["out_channels"] = p.outChannels;
    j["kernel"] = p.kernel;
    if (!allEqual(p.stride, 1))
        j["stride"] = p.stride;
    if (!allEqual(p.dilation, 1))
        j["dilation"] = p.dilation;
    writePads(j, p.padBegin, p.padEnd);
    if (p.groups != 1)
        j["groups"] = p.groups;
    if (!p.bias)
        j["bias"] = false;
    if (!allEqual(p.outputPadding, 0))
        j["output_padding"] = p.outputPadding;
}

void writeRecurrent(ordered_json& j, const RecurrentParams& p)
{
    j["hidden"] = p.hidden;
    if (p.projection > 0)
        j["projection"] = p.projection;
    if (p.directions != 1)
        j["directions"] = p.directions;
    if (p.numLayers != 1)
        j["layers"] = p.numLayers;
    if (p.biasVectors != 2)
        j["bias_vectors"] = p.biasVectors;
    if (p.peepholes)
        j["peepholes"] = true;
}

void writePool(ordered_json& j, const PoolParams& p)
{
    j["mode"] = poolModeName(p.mode);
    if (p.global)
        j["global"] = true;
    if (!p.outputSize.empty())
        j["output_size"] = p.outputSize;
    if (!p.kernel.empty()) {
        j["kernel"] = p.kernel;
        if (p.stride != p.kernel)
            j["stride"] = p.stride;
        if (!allEqual(p.dilation, 1))
            j["dilation"] = p.dilation;
        writePads(j, p.padBegin, p.padEnd);
    }
    if (p.ceilMode)
        j["ceil_mode"] = true;
}

void writeActivation(ordered_json& j, const ActivationParams& p)
{
    j["function"] = activationName(p.fn);
    switch (p.fn) {
    case ActivationFn::LeakyRelu:
    case ActivationFn::Elu: j["alpha"] = p.alpha; break;
    case ActivationFn::HardSigmoid:
        j["alpha"] = p.alpha;
        j["beta"] = p.beta;
        break;
    case ActivationFn::Clip:
        j["min"] = p.alpha;
        j["max"] = p.beta;
        break;
    default: break;
    }
}

void writeParams(ordered_json& j, const Layer& layer)
{
    std::visit(
        [&](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, ConvParams>) {
                writeConv(j, p);
            } else if constexpr (std::is_same_v<T, FullyConnectedParams>) {
                j["out_features"] = p.outFeatures;
                if (!p.bias)
                    j["bias"] = false;
            } else if constexpr (std::is_same_v<T, MatMulParams>) {
                if (p.transposeA)
                    j["transpose_a"] = true;
                if (p.transposeB)
                    j["transpose_b"] = true;
            } else if constexpr (std::is_same_v<T, RecurrentParams>) {
                writeRecurrent(j, p);
            } else if constexpr (std::is_same_v<T, PoolParams>) {
                writePool(j, p);
            } else if constexpr (std::is_same_v<T, EltwiseParams>) {
                j["op"] = eltwiseOpName(p.op);
                if (p.scalar)
                    j["scalar"] = *p.scalar;
                if (p.constant)
                    j["constant_shape"] = *p.constant;
            } else if constexpr (std::is_same_v<T, ActivationParams>) {
                writeActivation(j, p);
            } else if constexpr (std::is_same_v<T, BatchNormParams>) {
                j["epsilon"] = p.epsilon;
            } else if constexpr (std::is_same_v<T, LayerNormParams>) {
                j["axis"] = p.axis;
                j["epsilon"] = p.epsilon;
            } else if constexpr (std::is_same_v<T, SoftmaxParams>) {
                j["axis"] = p.axis;
            } else if constexpr (std::is_same_v<T, ReduceParams>) {
                j["op"] = reduceOpName(p.op);
                if (!p.axes.empty())
                    j["axes"] = p.axes;
                if (!p.keepDims)
                    j["keep_dims"] = false;
            } else if constexpr (std::is_same_v<T, EmbeddingParams>) {
                j["vocabulary"] = p.vocabulary;
                j["dim"] = p.dim;
            } else if constexpr (std::is_same_v<T, ReshapeParams>) {
                j["shape"] = p.shape;
            } else if constexpr (std::is_same_v<T, TransposeParams>) {
                j["perm"] = p.perm;
            } else if constexpr (std::is_same_v<T, ConcatParams> || std::is_same_v<T, FlattenParams>) {
                j["axis"] = p.axis;
            } else if constexpr (std::is_same_v<T, SplitParams>) {
                j["axis"] = p.axis;
                j["sizes"] = p.sizes;
            } else if constexpr (std::is_same_v<T, SliceParams>) {
                j["axes"] = p.axes;
                j["starts"] = p.starts;
                j["ends"] = p.ends;
                if (!allEqual(p.steps, 1))
                    j["steps"] = p.steps;
            } else if constexpr (std::is_same_v<T, PadParams>) {
                std::vector<Dim> pads = p.padBegin;
                pads.insert(pads.end(), p.padEnd.begin(), p.padEnd.end());
                j["pads"] = pads;
            } else if constexpr (std::is_same_v<T, ResizeParams>) {
                if (!p.scales.empty())
                    j["scales"] = p.scales;
                if (!p.sizes.empty())
                    j["sizes"] = p.sizes;
                j["mode"] = p.mode;
            } else if constexpr (std::is_same_v<T, OtherParams>) {
                j["op_type"] = p.opType;
                j["output_shapes"] = p.outputShapes;
                if (p.ops > 0)
                    j["ops"] = p.ops;
            }
        },
        layer.params);
}

}  // namespace

Layer readLayerJson(JsonObject& o)
{
    Layer layer;
    layer.name = o.requiredString("name");
    const auto kind = o.required("kind");
    const std::string kindName = kind.asString();
    const auto parsed = layerKindFromName(kindName);
    if (!parsed)
        kind.fail("unknown layer kind \"" + kindName + "\"; expected one of " + joined(layerKindNames()));
    layer.kind = *parsed;
    layer.inputs = o.required("inputs").asStringArray();
    if (o.has("outputs"))
        layer.outputs = o.required("outputs").asStringArray();
    layer.params = readParams(layer.kind, o);
    o.rejectUnknownKeys();
    return layer;
}

ordered_json layerToJson(const Layer& layer)
{
    ordered_json j;
    j["name"] = layer.name;
    j["kind"] = layerKindName(layer.kind);
    j["inputs"] = layer.inputs;
    if (!(layer.outputs.size() == 1 && layer.outputs[0] == layer.name) && !layer.outputs.empty())
        j["outputs"] = layer.outputs;
    writeParams(j, layer);
    return j;
}

}  // namespace cdx
