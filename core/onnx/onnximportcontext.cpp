#include "core/onnx/onnximportcontext.h"

#include "core/network/shapeinference.h"
#include "core/util/checkedmath.h"
#include "core/util/error.h"

namespace cdx {

namespace {

void collectRecorded(const OnnxGraph& graph, const DimBindings& dims, std::unordered_map<std::string, Shape>& out)
{
    auto add = [&](const OnnxValueInfo& info) {
        if (!info.hasShape)
            return;
        Shape s;
        for (const auto& d : info.dims)
            s.push_back(d.isSymbol() ? (dims.count(d.symbol) ? dims.at(d.symbol) : 1) : d.value);
        out[info.name] = s;
    };
    for (const auto& [name, info] : graph.valueInfo)
        add(info);
    for (const auto& info : graph.outputs)
        add(info);
    for (const auto& node : graph.nodes)
        for (const auto& [key, attr] : node.attributes)
            if (attr.graph)
                collectRecorded(*attr.graph, dims, out);
}

}  // namespace

OnnxImportContext::OnnxImportContext(const OnnxModel& model, std::vector<std::string>& warnings)
    : model_(model), warnings_(warnings)
{
    collectRecorded(model.graph, model.dims, recorded_);
}

std::string OnnxImportContext::resolve(const std::string& name) const
{
    std::string current = name;
    for (int hops = 0; hops < 10000; ++hops) {
        auto it = aliases_.find(current);
        if (it == aliases_.end())
            return current;
        current = it->second;
    }
    return current;
}

bool OnnxImportContext::isConstant(const std::string& name) const
{
    return constants_.count(resolve(name)) > 0;
}

const OnnxTensor* OnnxImportContext::constant(const std::string& name) const
{
    auto it = constants_.find(resolve(name));
    return it == constants_.end() ? nullptr : &it->second;
}

bool OnnxImportContext::isActivation(const std::string& name) const
{
    return shapes_.count(resolve(name)) > 0;
}

const Shape& OnnxImportContext::shape(const std::string& name) const
{
    auto it = shapes_.find(resolve(name));
    if (it == shapes_.end())
        throw InputError({}, "the shape of tensor \"" + name + "\" is unknown");
    return it->second;
}

void OnnxImportContext::addConstant(const std::string& name, OnnxTensor value)
{
    constants_[name] = std::move(value);
}

void OnnxImportContext::addActivation(const std::string& name, Shape s)
{
    shapes_[name] = std::move(s);
}

void OnnxImportContext::alias(const std::string& name, const std::string& target)
{
    const std::string resolved = resolve(target);
    if (name != resolved)
        aliases_[name] = resolved;
}

std::optional<Shape> OnnxImportContext::recordedShape(const std::string& name) const
{
    auto it = recorded_.find(name);
    if (it == recorded_.end())
        return std::nullopt;
    return it->second;
}

const OnnxTensor* OnnxImportContext::constantInput(const OnnxNode& node, std::size_t index) const
{
    if (!node.hasInput(index))
        return nullptr;
    return constant(node.inputs[index]);
}

const OnnxTensor& OnnxImportContext::requireConstant(const OnnxNode& node, std::size_t index, const char* what) const
{
    const OnnxTensor* t = constantInput(node, index);
    if (!t)
        throw InputError({}, std::string("input ") + std::to_string(index) + " (" + what +
                                 ") must be a constant known at import (an initializer or computed from them)");
    if (!t->hasData())
        throw InputError({}, std::string("input ") + what + " has an element type the tool does not read");
    return *t;
}

std::string OnnxImportContext::requireActivation(const OnnxNode& node, std::size_t index, const char* what) const
{
    if (!node.hasInput(index))
        throw InputError({}, std::string("input ") + std::to_string(index) + " (" + what + ") is missing");
    const std::string name = resolve(node.inputs[index]);
    if (!isActivation(name))
        throw InputError({}, std::string("input ") + what + " \"" + node.inputs[index] + "\" is not an activation");
    return name;
}

std::string OnnxImportContext::layerName(const OnnxNode& node, const std::string& suffix)
{
    std::string base = !node.name.empty() ? node.name
                       : !node.outputs.empty() && !node.outputs[0].empty() ? node.outputs[0]
                                                                           : node.opType;
    base += suffix;
    std::string name = base;
    for (int k = 2; layerNames_.count(name); ++k)
        name = base + "#" + std::to_string(k);
    layerNames_.insert(name);
    return name;
}

WeightTensor OnnxImportContext::weightOf(const OnnxTensor& t, const std::string& role)
{
    WeightTensor w;
    w.role = role;
    w.shape = t.dims;
    if (t.floats) {
        w.values = t.floats;
    } else if (t.ints) {
        auto values = std::make_shared<std::vector<float>>();
        values->reserve(t.ints->size());
        for (auto v : *t.ints)
            values->push_back(static_cast<float>(v));
        w.values = std::move(values);
    }
    w.sourceType = onnxElementTypeName(t.type);
    return w;
}

WeightTensor OnnxImportContext::weightOf(const OnnxTensor& t, const std::string& role, const OnnxNode& node, int index)
{
    WeightTensor w = weightOf(t, role);
    w.sourceNode = node.outputs.empty() ? std::string{} : node.outputs[0];
    w.sourceInput = index;
    return w;
}

std::optional<WeightTensor> OnnxImportContext::weight(const OnnxNode& node, std::size_t index, const std::string& role) const
{
    const OnnxTensor* t = constantInput(node, index);
    if (!t)
        return std::nullopt;
    return weightOf(*t, role);
}

void OnnxImportContext::emit(const OnnxNode& node, Layer layer)
{
    (void)node;
    layer.inputShapes.clear();
    for (auto& in : layer.inputs) {
        in = resolve(in);
        layer.inputShapes.push_back(shape(in));
    }
    if (layer.outputs.empty())
        layer.outputs.push_back(layer.name);
    try {
        inferLayerShapes(layer);
    } catch (const CountOverflow&) {
        throw InputError({}, "a dimension of this node's output exceeds the 64-bit range");
    }
    for (std::size_t k = 0; k < layer.outputs.size(); ++k)
        addActivation(layer.outputs[k], layer.outputShapes[k]);
    layer.inputShapes.clear();
    layer.outputShapes.clear();
    layers_.push_back(std::move(layer));
}

void OnnxImportContext::addSourceTensor(const std::string& name, Shape s)
{
    sources_.emplace_back(name, s);
    addActivation(name, std::move(s));
}

void OnnxImportContext::noteUnmodelled(const OnnxNode& node)
{
    ++unmodelled_[node.domain.empty() ? node.opType : node.domain + "." + node.opType];
}

void OnnxImportContext::indexConsumers(const OnnxGraph& graph)
{
    for (const auto& out : graph.outputs)
        graphOutputs_.insert(out.name);
    for (const auto& node : graph.nodes) {
        for (const auto& in : node.inputs)
            if (!in.empty())
                consumers_[in].push_back(&node);
        for (const auto& [key, attr] : node.attributes)
            if (attr.graph)
                indexConsumers(*attr.graph);
    }
}

const std::vector<const OnnxNode*>& OnnxImportContext::consumers(const std::string& name) const
{
    static const std::vector<const OnnxNode*> none;
    auto it = consumers_.find(name);
    return it == consumers_.end() ? none : it->second;
}

}  // namespace cdx
