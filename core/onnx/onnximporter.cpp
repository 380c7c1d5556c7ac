#include "core/onnx/onnximporter.h"

#include "core/onnx/onnxconstantfolder.h"
#include "core/onnx/onnximportcontext.h"
#include "core/onnx/onnxmappers.h"
#include "core/onnx/onnxreader.h"
#include "core/util/checkedmath.h"

#include <filesystem>
#include <queue>
#include <set>
#include <stdexcept>

namespace cdx {

namespace {

/// Names a subgraph reads from the graphs around it (its implicit inputs).
void outerReferences(const OnnxGraph& graph, std::set<std::string>& out)
{
    std::set<std::string> local;
    for (const auto& [name, t] : graph.initializers)
        local.insert(name);
    for (const auto& in : graph.inputs)
        local.insert(in.name);
    for (const auto& node : graph.nodes)
        for (const auto& o : node.outputs)
            local.insert(o);
    std::set<std::string> needed;
    for (const auto& node : graph.nodes) {
        for (const auto& in : node.inputs)
            if (!in.empty())
                needed.insert(in);
        for (const auto& [key, attr] : node.attributes)
            if (attr.graph)
                outerReferences(*attr.graph, needed);
    }
    for (const auto& name : graph.outputs)
        needed.insert(name.name);
    for (const auto& name : needed)
        if (!local.count(name))
            out.insert(name);
}

class Importer {
public:
    Importer(const OnnxModel& model, const OnnxImportOptions& options)
        : model_(model), options_(options), warnings_(model.warnings), ctx_(model, warnings_)
    {
    }

    NetworkSpec run(OnnxImportReport& report)
    {
        ctx_.indexConsumers(model_.graph);
        NetworkSpec spec;
        spec.name = std::filesystem::path(model_.path).stem().string();
        spec.description = "ONNX model" + (model_.producer.empty() ? std::string() : " from " + model_.producer) +
                           ", IR " + std::to_string(model_.irVersion) + ", opset " + std::to_string(model_.opset);
        spec.source = model_.path;
        spec.dimDefaults = model_.dims;
        for (const auto& input : model_.graph.inputs) {
            if (!input.hasShape)
                throw InputError("input \"" + input.name + "\"", "has no shape in the file; the tool needs its rank");
            TensorSpec t{input.name, input.dims,
                         isFloatElementType(input.type) || input.type == OnnxElementType::Undefined ? DataType::Float32
                                                                                                    : DataType::Int64};
            spec.inputs.push_back(t);
            Shape bound;
            for (const auto& d : input.dims)
                bound.push_back(d.isSymbol() ? model_.dims.at(d.symbol) : d.value);
            ctx_.addActivation(input.name, bound);
        }
        for (const auto& [name, tensor] : model_.graph.initializers)
            ctx_.addConstant(name, tensor);
        processGraph(model_.graph);

        for (const auto& out : model_.graph.outputs) {
            const std::string resolved = ctx_.resolve(out.name);
            if (ctx_.isActivation(resolved))
                spec.outputs.push_back(resolved);
            else if (ctx_.isConstant(resolved))
                warnings_.push_back("output \"" + out.name + "\" is a constant: it does not depend on the inputs");
            else
                throw InputError("output \"" + out.name + "\"", "is produced by no node of the graph");
        }
        if (spec.outputs.empty())
            throw InputError({}, "no output of the graph depends on its inputs");
        for (const auto& [name, shape] : ctx_.sourceTensors()) {
            std::vector<DimValue> dims;
            for (Dim d : shape)
                dims.push_back(DimValue::fixed(d));
            spec.inputs.push_back(TensorSpec{name, dims, DataType::Float32});
        }
        spec.layers = std::move(ctx_.layers());
        summarise(report);
        spec.warnings = warnings_;
        return spec;
    }

private:
    void summarise(OnnxImportReport& report)
    {
        report.irVersion = model_.irVersion;
        report.opset = model_.opset;
        report.producer = model_.producer;
        report.storedFloatElements = model_.storedFloatElements;
        report.nodes = nodes_;
        report.unmodelled = ctx_.unmodelled();
        if (!report.unmodelled.empty()) {
            std::string list;
            for (const auto& [op, count] : report.unmodelled)
                list += (list.empty() ? "" : ", ") + op + " (" + std::to_string(count) + ")";
            warnings_.push_back("operators not modelled, kept as \"other\" layers with their element counts: " + list);
        }
        if (!decisions_.empty()) {
            std::string list;
            for (const auto& d : decisions_)
                list += (list.empty() ? "" : "; ") + d;
            warnings_.push_back("If nodes: " + list);
        }
    }

    /// Orders the graph's nodes so every tensor is made before it is read, counting what
    /// subgraphs read from outside, and processes them.
    void processGraph(const OnnxGraph& graph)
    {
        const std::size_t n = graph.nodes.size();
        std::map<std::string, std::size_t> producer;
        for (std::size_t i = 0; i < n; ++i)
            for (const auto& out : graph.nodes[i].outputs)
                if (!out.empty())
                    producer.emplace(out, i);
        for (const auto& [name, tensor] : graph.initializers)
            ctx_.addConstant(name, tensor);
        // Constant nodes depend on nothing: evaluate them first, so that fusions looking ahead
        // from an earlier node see them.
        std::vector<bool> evaluated(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            const OnnxNode& node = graph.nodes[i];
            if (node.domain.empty() && node.opType == "Constant" && !node.outputs.empty()) {
                processNode(node);
                evaluated[i] = true;
            }
        }
        std::vector<std::size_t> pending(n, 0);
        std::vector<std::vector<std::size_t>> dependents(n);
        for (std::size_t i = 0; i < n; ++i) {
            std::set<std::string> needs;
            for (const auto& in : graph.nodes[i].inputs)
                if (!in.empty())
                    needs.insert(in);
            for (const auto& [key, attr] : graph.nodes[i].attributes)
                if (attr.graph)
                    outerReferences(*attr.graph, needs);
            for (const auto& name : needs) {
                auto it = producer.find(name);
                if (it == producer.end()) {
                    if (!ctx_.known(name))
                        throw InputError(graph.nodes[i].describe(), "reads tensor \"" + name +
                                                                        "\", which is neither an input, an initializer, "
                                                                        "nor made by any node (a missing initializer?)");
                    continue;
                }
                if (it->second == i)
                    throw InputError(graph.nodes[i].describe(), "reads its own output \"" + name + "\"");
                ++pending[i];
                dependents[it->second].push_back(i);
            }
        }
        std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
        for (std::size_t i = 0; i < n; ++i)
            if (pending[i] == 0)
                ready.push(i);
        std::size_t done = 0;
        while (!ready.empty()) {
            const std::size_t i = ready.top();
            ready.pop();
            if (!evaluated[i])
                processNode(graph.nodes[i]);
            ++done;
            for (std::size_t d : dependents[i])
                if (--pending[d] == 0)
                    ready.push(d);
        }
        if (done != n) {
            std::string cycle;
            for (std::size_t i = 0; i < n && cycle.size() < 300; ++i)
                if (pending[i] > 0)
                    cycle += (cycle.empty() ? "" : ", ") + graph.nodes[i].describe();
            throw InputError({}, "the graph has a cycle through " + cycle);
        }
    }

    void processNode(const OnnxNode& node)
    {
        ++nodes_;
        if (ctx_.isConsumed(node))
            return;
        try {
            if (node.domain.empty() && node.opType == "Constant") {
                ctx_.addConstant(node.outputs.at(0), constantNodeValue(node));
                return;
            }
            if (node.domain.empty() && node.opType == "If") {
                processIf(node);
                return;
            }
            if (tryFold(node))
                return;
            if (const OnnxMapper mapper = node.domain.empty() ? findOnnxMapper(node.opType) : nullptr)
                mapper(node, ctx_);
            else
                mapUnmodelled(node, ctx_);
        } catch (const InputError& e) {
            Error error = e.error();
            if (error.location.empty())
                error.location = node.describe();
            throw InputError(error);
        } catch (const CountOverflow&) {
            throw InputError(node.describe(), "a count exceeds the 64-bit range");
        } catch (const std::out_of_range&) {
            // A mapper asked for an input, output or attribute value the node does not have.
            throw InputError(node.describe(), "is malformed: it lacks an input, output or attribute value its operator needs");
        }
    }

    /// Evaluates the node now if all it reads is known: constants, or only the shape of an
    /// activation (Shape, Size).
    bool tryFold(const OnnxNode& node)
    {
        if (!isFoldableOnnxOp(node))
            return false;
        std::vector<OnnxTensor> standIns;
        standIns.reserve(node.inputs.size());
        std::vector<const OnnxTensor*> inputs;
        const bool shapeOnly = node.opType == "Shape" || node.opType == "Size";
        for (std::size_t i = 0; i < node.inputs.size(); ++i) {
            if (!node.hasInput(i)) {
                inputs.push_back(nullptr);
            } else if (const OnnxTensor* c = ctx_.constant(node.inputs[i])) {
                inputs.push_back(c);
            } else if (shapeOnly && i == 0 && ctx_.isActivation(node.inputs[i])) {
                OnnxTensor standIn;
                standIn.dims = ctx_.shape(node.inputs[i]);
                standIns.push_back(standIn);
                inputs.push_back(&standIns.back());
            } else {
                return false;
            }
        }
        auto outputs = foldOnnxNode(node, inputs, model_.opset);
        for (std::size_t k = 0; k < outputs.size() && k < node.outputs.size(); ++k)
            if (!node.outputs[k].empty())
                ctx_.addConstant(node.outputs[k], std::move(outputs[k]));
        return true;
    }

    void processIf(const OnnxNode& node)
    {
        const OnnxTensor* condition = ctx_.constantInput(node, 0);
        bool takeThen = options_.unknownIfBranch == OnnxImportOptions::Branch::Then;
        const std::string who = !node.name.empty() ? node.name : node.outputs.empty() ? std::string("If") : node.outputs[0];
        if (condition && condition->hasData() && condition->size() >= 1) {
            takeThen = condition->value(0) != 0.0;
            decisions_.push_back(std::string(takeThen ? "then" : "else") + " of \"" + who + "\" (condition known)");
        } else {
            decisions_.push_back(std::string(takeThen ? "then" : "else") + " of \"" + who +
                                 "\" (condition unknown at import; the other branch with --if-branch " +
                                 (takeThen ? "else" : "then") + ")");
        }
        const OnnxAttribute* branch = node.attribute(takeThen ? "then_branch" : "else_branch");
        if (!branch || !branch->graph)
            throw InputError({}, std::string("has no ") + (takeThen ? "then" : "else") + " branch");
        processGraph(*branch->graph);
        if (branch->graph->outputs.size() < node.outputs.size())
            throw InputError({}, "its branch has fewer outputs than the node");
        for (std::size_t k = 0; k < node.outputs.size(); ++k)
            if (!node.outputs[k].empty())
                ctx_.alias(node.outputs[k], branch->graph->outputs[k].name);
    }

    const OnnxModel& model_;
    const OnnxImportOptions& options_;
    std::vector<std::string> warnings_;
    OnnxImportContext ctx_;
    std::vector<std::string> decisions_;
    std::int64_t nodes_ = 0;
};

/// A failure after some dimension defaulted to 1 is most likely that dimension's fault: say so.
Error withDimensionHint(Error error, const OnnxModel& model)
{
    error.file = model.path;
    if (!model.defaultedDims.empty()) {
        std::string list;
        for (const auto& d : model.defaultedDims)
            list += (list.empty() ? "" : ", ") + d;
        error.message += " (the input dimension(s) " + list + " were not set and are 1; set them with --dim NAME=VALUE)";
    }
    return error;
}

}  // namespace

Result<Network> importOnnxModel(const OnnxModel& model, const OnnxImportOptions& options, OnnxImportReport* report)
{
    OnnxImportReport local;
    NetworkSpec spec;
    try {
        spec = Importer(model, options).run(report ? *report : local);
    } catch (const InputError& e) {
        return withDimensionHint(e.error(), model);
    }
    auto network = Network::create(std::move(spec), model.dims);
    if (!network)
        return withDimensionHint(network.error(), model);
    return network;
}

Result<Network> importOnnxFile(const std::string& path, const OnnxImportOptions& options, OnnxImportReport* report)
{
    auto model = readOnnxModel(path, options.dims);
    if (!model)
        return model.error();
    return importOnnxModel(model.value(), options, report);
}

}  // namespace cdx
