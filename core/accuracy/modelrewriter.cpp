// Edits an ONNX ModelProto for a measurement: compressed constants, fake quantisation, observed tensors.
#include "core/accuracy/modelrewriter.h"

#include <onnx/onnx_pb.h>

#include <map>
#include <set>

namespace cdx {

namespace {

void collectNodes(onnx::GraphProto& graph, std::map<std::string, std::pair<onnx::GraphProto*, int>>& byOutput)
{
    for (int i = 0; i < graph.node_size(); ++i) {
        onnx::NodeProto& node = *graph.mutable_node(i);
        if (node.output_size() > 0 && !node.output(0).empty())
            byOutput.emplace(node.output(0), std::make_pair(&graph, i));
        for (auto& attribute : *node.mutable_attribute()) {
            if (attribute.has_g())
                collectNodes(*attribute.mutable_g(), byOutput);
            for (auto& g : *attribute.mutable_graphs())
                collectNodes(g, byOutput);
        }
    }
}

onnx::NodeProto constantNode(const std::string& output, const TensorReplacement& r)
{
    onnx::NodeProto node;
    node.set_op_type("Constant");
    node.set_name(output);
    node.add_output(output);
    onnx::AttributeProto* value = node.add_attribute();
    value->set_name("value");
    value->set_type(onnx::AttributeProto::TENSOR);
    onnx::TensorProto* t = value->mutable_t();
    t->set_name(output);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (Dim d : r.dims)
        t->add_dims(d);
    t->set_raw_data(std::string(reinterpret_cast<const char*>(r.values.data()), r.values.size() * sizeof(float)));
    return node;
}

bool parse(onnx::ModelProto& model, const std::string& bytes)
{
    return !bytes.empty() && model.ParseFromString(bytes);
}

Error notAModel(const std::string& path)
{
    return Error{ExitCode::BadInput, path, {}, "not a valid ONNX model: the protobuf data is truncated, damaged or of another format"};
}

}  // namespace

Result<std::string> rewriteOnnxModel(const std::string& bytes, const std::string& path, const ModelRewrite& rewrite)
{
    onnx::ModelProto model;
    if (!parse(model, bytes))
        return notAModel(path);
    onnx::GraphProto& graph = *model.mutable_graph();
    std::map<std::string, std::pair<onnx::GraphProto*, int>> byOutput;
    collectNodes(graph, byOutput);

    // New nodes go to the front of the graph that holds their reader (Constants read nothing;
    // ONNX wants nodes in topological order), collected first so indices stay valid.
    std::map<onnx::GraphProto*, std::vector<onnx::NodeProto>> prepend;
    for (std::size_t k = 0; k < rewrite.constants.size(); ++k) {
        const TensorReplacement& r = rewrite.constants[k];
        const auto at = byOutput.find(r.node);
        if (at == byOutput.end())
            return Error{ExitCode::Internal, path, r.node, "the model has no node writing this tensor"};
        onnx::NodeProto& node = *at->second.first->mutable_node(at->second.second);
        if (r.input < 0 || r.input >= node.input_size())
            return Error{ExitCode::Internal, path, r.node, "the node has no input " + std::to_string(r.input)};
        const std::string name = "cdx.compressed." + std::to_string(k) + "." + node.input(r.input);
        node.set_input(r.input, name);
        prepend[at->second.first].push_back(constantNode(name, r));
    }

    std::set<std::string> produced;
    for (const auto& node : graph.node())
        for (const auto& out : node.output())
            produced.insert(out);
    std::set<std::string> inputs;
    for (const auto& input : graph.input())
        inputs.insert(input.name());
    std::vector<std::pair<int, onnx::NodeProto>> after;  // (producer index, FakeQuant node)
    std::vector<onnx::NodeProto> atInputs;
    for (std::size_t id = 0; id < rewrite.fakeQuantized.size(); ++id) {
        const std::string& tensor = rewrite.fakeQuantized[id];
        const std::string raw = tensor + kFloatSuffix;
        produced.insert(raw);  // observable: the values before quantisation
        onnx::NodeProto quant;
        quant.set_op_type("FakeQuant");
        quant.set_domain(kFakeQuantDomain);
        quant.set_name("cdx.fake_quant." + std::to_string(id));
        quant.add_input(raw);
        quant.add_output(tensor);
        onnx::AttributeProto* attribute = quant.add_attribute();
        attribute->set_name("id");
        attribute->set_type(onnx::AttributeProto::INT);
        attribute->set_i(static_cast<std::int64_t>(id));
        if (inputs.count(tensor)) {
            // A graph input keeps its name for the caller; its readers take the quantised copy.
            quant.set_input(0, tensor);
            quant.set_output(0, raw);
            for (auto& node : *graph.mutable_node())
                for (auto& in : *node.mutable_input())
                    if (in == tensor)
                        in = raw;
            atInputs.push_back(std::move(quant));
            continue;
        }
        bool found = false;
        for (int i = 0; i < graph.node_size() && !found; ++i) {
            onnx::NodeProto& node = *graph.mutable_node(i);
            for (auto& out : *node.mutable_output())
                if (out == tensor) {
                    out = raw;
                    after.emplace_back(i, std::move(quant));
                    found = true;
                    break;
                }
        }
        if (!found)
            return Error{ExitCode::Internal, path, tensor, "no node of the main graph writes this tensor"};
    }

    for (const std::string& tensor : rewrite.observed) {
        if (!produced.count(tensor) && !inputs.count(tensor))
            return Error{ExitCode::Internal, path, tensor, "no node of the main graph writes this tensor"};
        bool already = false;
        for (const auto& out : graph.output())
            already = already || out.name() == tensor;
        if (already)
            continue;
        onnx::ValueInfoProto* out = graph.add_output();
        out->set_name(tensor);
        out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    }

    // Rebuild the main graph's node list: constants and input quantisers first, each FakeQuant
    // right after its producer.
    std::map<int, std::vector<onnx::NodeProto>> afterNode;
    for (auto& [index, node] : after)
        afterNode[index].push_back(std::move(node));
    for (auto& [g, nodes] : prepend) {
        if (g == &graph)
            continue;
        google::protobuf::RepeatedPtrField<onnx::NodeProto> rebuilt;
        for (auto& n : nodes)
            *rebuilt.Add() = std::move(n);
        for (auto& n : *g->mutable_node())
            *rebuilt.Add() = std::move(n);
        g->mutable_node()->Swap(&rebuilt);
    }
    google::protobuf::RepeatedPtrField<onnx::NodeProto> rebuilt;
    for (auto& n : prepend[&graph])
        *rebuilt.Add() = std::move(n);
    for (auto& n : atInputs)
        *rebuilt.Add() = std::move(n);
    for (int i = 0; i < graph.node_size(); ++i) {
        *rebuilt.Add() = std::move(*graph.mutable_node(i));
        if (const auto it = afterNode.find(i); it != afterNode.end())
            for (auto& n : it->second)
                *rebuilt.Add() = std::move(n);
    }
    graph.mutable_node()->Swap(&rebuilt);

    if (!rewrite.fakeQuantized.empty()) {
        bool imported = false;
        for (const auto& opset : model.opset_import())
            imported = imported || opset.domain() == kFakeQuantDomain;
        if (!imported) {
            onnx::OperatorSetIdProto* opset = model.add_opset_import();
            opset->set_domain(kFakeQuantDomain);
            opset->set_version(1);
        }
    }
    std::string out;
    if (!model.SerializeToString(&out))
        return Error{ExitCode::Internal, path, {}, "the rewritten model could not be serialised"};
    return out;
}

Result<OnnxGraphTensors> onnxGraphTensors(const std::string& bytes, const std::string& path)
{
    onnx::ModelProto model;
    if (!parse(model, bytes))
        return notAModel(path);
    OnnxGraphTensors t;
    std::set<std::string> initializers;
    for (const auto& init : model.graph().initializer())
        initializers.insert(init.name());
    for (const auto& node : model.graph().node())
        for (const auto& out : node.output())
            if (!out.empty())
                t.nodeOutputs.push_back(out);
    for (const auto& in : model.graph().input())
        if (!initializers.count(in.name()))
            t.graphInputs.push_back(in.name());
    for (const auto& out : model.graph().output())
        t.graphOutputs.push_back(out.name());
    return t;
}

}  // namespace cdx
