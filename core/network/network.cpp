#include "core/network/network.h"

#include "core/network/layercounter.h"
#include "core/network/shapeinference.h"
#include "core/util/checkedmath.h"
#include "core/util/jsonreader.h"

#include <algorithm>
#include <queue>
#include <unordered_set>

namespace cdx {

namespace {

/// Most layers and dimensions a network may have; beyond them the input is certainly wrong
/// and would only exhaust memory.
constexpr std::size_t kMaxLayers = 1'000'000;

std::string inQuotes(const std::string& s) { return "\"" + s + "\""; }

[[noreturn]] void failNetwork(const std::string& message) { throw InputError({}, message); }

/// An empty string if the shape is within the limits, else why not.
std::string checkLimits(const Shape& shape)
{
    if (shape.size() > kMaxRank)
        return "has more than " + std::to_string(kMaxRank) + " dimensions";
    for (Dim d : shape)
        if (d > kMaxDimension)
            return "has a dimension of " + std::to_string(d) + ", above the limit of " + std::to_string(kMaxDimension);
    if (elementCount(shape) > kMaxTensorElements)
        return "has " + std::to_string(elementCount(shape)) + " elements, above the limit of " +
               std::to_string(kMaxTensorElements);
    return {};
}

}  // namespace

std::string_view dataTypeName(DataType type)
{
    return type == DataType::Int64 ? "int64" : "float32";
}

/// The steps of Network::create, each throwing InputError with the place it found a problem.
class NetworkAssembly {
public:
    NetworkAssembly(Network& net, NetworkSpec& spec, const LayerLocator& locate)
        : net_(net), spec_(spec), locate_(locate)
    {
    }

    void run(const DimBindings& bindings)
    {
        if (spec_.layers.empty())
            failNetwork("the network has no layers");
        if (spec_.layers.size() > kMaxLayers)
            failNetwork("the network has " + std::to_string(spec_.layers.size()) + " layers; the limit is " +
                        std::to_string(kMaxLayers));
        if (spec_.inputs.empty())
            failNetwork("the network has no inputs");
        bindInputs(bindings);
        registerLayers();
        const auto order = orderLayers();
        analyseLayers(order);
        resolveOutputs();
        markFoldableNorms();
        sumTotals();
    }

private:
    std::string where(std::size_t index) const
    {
        return locate_ ? locate_(index) : "layer " + inQuotes(spec_.layers[index].name);
    }

    [[noreturn]] void failAt(std::size_t index, const std::string& message) const
    {
        throw InputError(where(index), message);
    }

    /// Symbolic dimensions take explicit bindings, then the network's defaults, then 1.
    void bindInputs(const DimBindings& bindings)
    {
        std::unordered_set<std::string> used;
        for (const auto& [symbol, value] : bindings)
            if (value < 1)
                failNetwork("dimension " + symbol + " = " + std::to_string(value) + " must be at least 1");
        for (const auto& input : spec_.inputs) {
            if (input.name.empty())
                failNetwork("a network input has no name");
            Network::Tensor tensor;
            tensor.dtype = input.dtype;
            for (const auto& dim : input.dims) {
                const Dim value = dim.isSymbol() ? bindSymbol(dim.symbol, input.name, bindings) : dim.value;
                if (dim.isSymbol())
                    used.insert(dim.symbol);
                if (value < 1)
                    failNetwork("input " + inQuotes(input.name) + " has a dimension of " + std::to_string(value) +
                                "; dimensions must be at least 1");
                tensor.shape.push_back(value);
            }
            if (const std::string problem = checkLimits(tensor.shape); !problem.empty())
                failNetwork("input " + inQuotes(input.name) + " " + problem);
            if (!net_.tensors_.emplace(input.name, tensor).second)
                failNetwork("two network inputs are named " + inQuotes(input.name));
        }
        for (const auto& [symbol, value] : bindings)
            if (!used.count(symbol))
                net_.warnings_.push_back("dimension " + symbol + " = " + std::to_string(value) +
                                         " is not used by this network");
    }

    Dim bindSymbol(const std::string& symbol, const std::string& inputName, const DimBindings& bindings)
    {
        if (auto known = net_.dims_.find(symbol); known != net_.dims_.end())
            return known->second;
        Dim value = 1;
        if (auto it = bindings.find(symbol); it != bindings.end())
            value = it->second;
        else if (auto d = spec_.dimDefaults.find(symbol); d != spec_.dimDefaults.end())
            value = d->second;
        else
            net_.warnings_.push_back("dimension " + symbol + " of input " + inQuotes(inputName) + " is not set; using 1");
        net_.dims_[symbol] = value;
        return value;
    }

    /// Unique names, default output tensors, and the producer of every tensor.
    void registerLayers()
    {
        std::unordered_set<std::string> names;
        for (std::size_t i = 0; i < spec_.layers.size(); ++i) {
            Layer& layer = spec_.layers[i];
            if (layer.name.empty())
                failAt(i, "layer has no name");
            if (!names.insert(layer.name).second)
                failAt(i, "another layer is also named " + inQuotes(layer.name));
            if (!paramsMatchKind(layer.kind, layer.params))
                failAt(i, "parameters do not belong to a " + std::string(layerKindName(layer.kind)) + " layer");
            if (layer.inputs.empty())
                failAt(i, "layer has no inputs");
            if (layer.outputs.empty())
                defaultOutputs(i);
            for (const auto& out : layer.outputs) {
                if (net_.tensors_.count(out))
                    failAt(i, "output " + inQuotes(out) + " has the name of a network input");
                if (!producerOf_.emplace(out, i).second)
                    failAt(i, "tensor " + inQuotes(out) + " is also produced by layer " +
                                  inQuotes(spec_.layers[producerOf_[out]].name));
            }
        }
    }

    void defaultOutputs(std::size_t i)
    {
        Layer& layer = spec_.layers[i];
        if (layer.kind != LayerKind::Split) {
            layer.outputs.push_back(layer.name);
            return;
        }
        const auto& sizes = std::get<SplitParams>(layer.params).sizes;
        if (sizes.empty())
            failAt(i, "a split layer needs its outputs or its sizes");
        for (std::size_t k = 0; k < sizes.size(); ++k)
            layer.outputs.push_back(layer.name + ":" + std::to_string(k));
    }

    /// Kahn's algorithm, always taking the earliest-listed ready layer, so that a spec already
    /// in topological order keeps its order.
    std::vector<std::size_t> orderLayers()
    {
        const std::size_t n = spec_.layers.size();
        pending_.assign(n, 0);
        std::vector<std::vector<std::size_t>> dependents(n);
        for (std::size_t i = 0; i < n; ++i) {
            for (const auto& in : spec_.layers[i].inputs) {
                if (net_.tensors_.count(in))
                    continue;
                auto it = producerOf_.find(in);
                if (it == producerOf_.end())
                    failUnknownTensor(i, in);
                if (it->second == i)
                    failAt(i, "layer reads its own output " + inQuotes(in));
                ++pending_[i];
                dependents[it->second].push_back(i);
            }
        }
        std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
        for (std::size_t i = 0; i < n; ++i)
            if (pending_[i] == 0)
                ready.push(i);
        std::vector<std::size_t> order;
        order.reserve(n);
        while (!ready.empty()) {
            const std::size_t i = ready.top();
            ready.pop();
            order.push_back(i);
            for (std::size_t d : dependents[i])
                if (--pending_[d] == 0)
                    ready.push(d);
        }
        if (order.size() != n)
            failCycle();
        return order;
    }

    [[noreturn]] void failUnknownTensor(std::size_t i, const std::string& tensor) const
    {
        std::vector<std::string> known;
        for (const auto& t : net_.tensors_)
            known.push_back(t.first);
        for (const auto& t : producerOf_)
            known.push_back(t.first);
        std::string message = "reads tensor " + inQuotes(tensor) + ", which no layer produces and which is not a network input";
        if (auto guess = closestMatch(tensor, known))
            message += " (did you mean " + inQuotes(*guess) + "?)";
        failAt(i, message);
    }

    /// Walks backwards along unresolved inputs until a layer repeats, and reports that loop.
    [[noreturn]] void failCycle() const
    {
        const std::size_t n = spec_.layers.size();
        std::size_t cur = 0;
        while (pending_[cur] == 0)
            ++cur;
        std::vector<std::size_t> path;
        std::vector<int> position(n, -1);
        while (position[cur] < 0) {
            position[cur] = static_cast<int>(path.size());
            path.push_back(cur);
            for (const auto& in : spec_.layers[cur].inputs) {
                auto it = producerOf_.find(in);
                if (it != producerOf_.end() && pending_[it->second] > 0) {
                    cur = it->second;
                    break;
                }
            }
        }
        // The walk followed inputs, against the data flow; print the loop in data-flow order.
        std::string cycle;
        for (std::size_t k = static_cast<std::size_t>(position[cur]); k < path.size(); ++k)
            cycle = inQuotes(spec_.layers[path[k]].name) + (cycle.empty() ? "" : " -> ") + cycle;
        failAt(cur, "layers form a cycle: " + cycle + " -> " + inQuotes(spec_.layers[path.back()].name));
    }

    void analyseLayers(const std::vector<std::size_t>& order)
    {
        net_.layers_.reserve(order.size());
        for (std::size_t i : order) {
            Layer layer = spec_.layers[i];
            try {
                for (const auto& in : layer.inputs)
                    layer.inputShapes.push_back(net_.tensors_.at(in).shape);
                inferLayerShapes(layer);
                for (const Shape& s : layer.outputShapes)
                    if (const std::string problem = checkLimits(s); !problem.empty())
                        throw InputError({}, "output " + formatShape(s) + " " + problem);
                layer.counts = countLayer(layer);
            } catch (const InputError& e) {
                failAt(i, e.error().message);
            } catch (const CountOverflow&) {
                failAt(i, "a count of this layer exceeds the 64-bit range; check its dimensions");
            }
            const int index = static_cast<int>(net_.layers_.size());
            for (const auto& in : layer.inputs)
                net_.tensors_.at(in).consumers.push_back(index);
            for (std::size_t k = 0; k < layer.outputs.size(); ++k)
                net_.tensors_[layer.outputs[k]] = Network::Tensor{layer.outputShapes[k], DataType::Float32, index, {}};
            net_.layerIndex_[layer.name] = index;
            net_.layers_.push_back(std::move(layer));
        }
    }

    /// Outputs as listed, or else every produced tensor that no layer reads.
    void resolveOutputs()
    {
        if (!net_.outputs_.empty()) {
            for (const auto& out : net_.outputs_)
                if (!net_.tensors_.count(out))
                    failNetwork("network output " + inQuotes(out) + " is not a tensor of the network");
            return;
        }
        for (const auto& layer : net_.layers_)
            for (const auto& out : layer.outputs)
                if (net_.tensors_.at(out).consumers.empty())
                    net_.outputs_.push_back(out);
    }

    /// A batch norm right after a conv or fc whose output feeds nothing else folds into it.
    void markFoldableNorms()
    {
        for (auto& layer : net_.layers_) {
            if (layer.kind != LayerKind::BatchNorm)
                continue;
            const Network::Tensor& in = net_.tensors_.at(layer.inputs[0]);
            if (in.producer < 0 || in.consumers.size() != 1)
                continue;
            const Layer& producer = net_.layers_[static_cast<std::size_t>(in.producer)];
            if (producer.kind == LayerKind::Conv || producer.kind == LayerKind::FullyConnected)
                layer.foldsInto = producer.name;
        }
    }

    void sumTotals()
    {
        NetworkTotals& t = net_.totals_;
        t.layers = static_cast<std::int64_t>(net_.layers_.size());
        for (const auto& layer : net_.layers_) {
            if (isMacKind(layer.kind))
                ++t.macLayers;
            t.macs = checkedAdd(t.macs, layer.counts.macs);
            t.params = checkedAdd(t.params, layer.counts.params);
            t.weights = checkedAdd(t.weights, layer.counts.weights);
            t.ops = checkedAdd(t.ops, layer.counts.ops);
            t.activationElements = checkedAdd(t.activationElements, layer.counts.outputElements);
        }
    }

    Network& net_;
    NetworkSpec& spec_;
    const LayerLocator& locate_;
    std::unordered_map<std::string, std::size_t> producerOf_;
    std::vector<std::size_t> pending_;
};

Result<Network> Network::create(NetworkSpec spec, const DimBindings& bindings, const LayerLocator& locate)
{
    Network net;
    std::vector<Layer> layers = std::move(spec.layers);  // keep them out of the header's copy
    net.header_ = spec;
    net.header_.warnings.clear();
    spec.layers = std::move(layers);
    net.warnings_ = std::move(spec.warnings);
    net.outputs_ = spec.outputs;
    try {
        NetworkAssembly(net, spec, locate).run(bindings);
    } catch (const InputError& e) {
        return e.error();
    } catch (const CountOverflow&) {
        return Error{ExitCode::BadInput, {}, {}, "a count of the network exceeds the 64-bit range"};
    }
    return net;
}

const Layer* Network::findLayer(std::string_view name) const
{
    auto it = layerIndex_.find(std::string(name));
    return it == layerIndex_.end() ? nullptr : &layers_[static_cast<std::size_t>(it->second)];
}

const Network::Tensor* Network::findTensor(std::string_view name) const
{
    auto it = tensors_.find(std::string(name));
    return it == tensors_.end() ? nullptr : &it->second;
}

NetworkSpec Network::toSpec() const
{
    NetworkSpec spec = header_;
    spec.layers.reserve(layers_.size());
    for (const auto& layer : layers_) {
        Layer copy;
        copy.name = layer.name;
        copy.kind = layer.kind;
        copy.inputs = layer.inputs;
        copy.outputs = layer.outputs;
        copy.params = layer.params;
        spec.layers.push_back(std::move(copy));
    }
    return spec;
}

}  // namespace cdx
