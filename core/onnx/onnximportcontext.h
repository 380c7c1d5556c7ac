#pragma once

#include "core/network/networkspec.h"
#include "core/onnx/onnxmodel.h"

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace cdx {

/// What the ONNX importer knows while it walks the graph: the constants (initializers,
/// Constant nodes, folded values), the shape of every activation, names that alias others
/// (Identity, Dropout, casts), and the layers emitted so far. Mappers read and extend it.
class OnnxImportContext {
public:
    OnnxImportContext(const OnnxModel& model, std::vector<std::string>& warnings);

    std::int64_t opset() const { return model_.opset; }

    // ---- tensors ----
    /// The name a tensor is known by after following aliases.
    std::string resolve(const std::string& name) const;
    bool isConstant(const std::string& name) const;
    const OnnxTensor* constant(const std::string& name) const;
    bool isActivation(const std::string& name) const;
    /// Shape of an activation; throws naming the tensor if unknown.
    const Shape& shape(const std::string& name) const;
    bool known(const std::string& name) const { return isConstant(name) || isActivation(name); }

    void addConstant(const std::string& name, OnnxTensor value);
    void addActivation(const std::string& name, Shape shape);
    /// `name` is another name for `target` (which may be a constant or an activation).
    void alias(const std::string& name, const std::string& target);

    /// A shape recorded for this tensor in the file or by ONNX shape inference, if any.
    std::optional<Shape> recordedShape(const std::string& name) const;

    // ---- node inputs, by position ----
    /// The constant at input `index`, or null if the input is omitted or not a constant.
    const OnnxTensor* constantInput(const OnnxNode& node, std::size_t index) const;
    /// The constant at input `index`; throws naming the node if it is not a constant.
    const OnnxTensor& requireConstant(const OnnxNode& node, std::size_t index, const char* what) const;
    /// The activation at input `index`, resolved; throws naming the node if it is not one.
    std::string requireActivation(const OnnxNode& node, std::size_t index, const char* what) const;

    // ---- layers ----
    /// Appends a layer: infers its shapes now (so later Shape nodes can fold), records its
    /// outputs as activations. Throws InputError naming the node when the layer does not fit.
    void emit(const OnnxNode& node, Layer layer);
    /// A layer name unique in the network, from the node's name or op type.
    std::string layerName(const OnnxNode& node, const std::string& suffix = {});
    /// A WeightTensor for the constant at input `index` (null if the input is omitted).
    std::optional<WeightTensor> weight(const OnnxNode& node, std::size_t index, const std::string& role) const;
    static WeightTensor weightOf(const OnnxTensor& t, const std::string& role);
    /// weightOf, remembering that input `index` of `node` reads it (WeightTensor::sourceNode).
    static WeightTensor weightOf(const OnnxTensor& t, const std::string& role, const OnnxNode& node, int index);

    void warn(const std::string& message) { warnings_.push_back(message); }
    void noteUnmodelled(const OnnxNode& node);

    /// Nodes other mappers consumed (fusions); the walk skips them.
    void markConsumed(const OnnxNode& node) { consumed_.insert(&node); }
    bool isConsumed(const OnnxNode& node) const { return consumed_.count(&node) > 0; }

    /// Every node of every graph reading a tensor, for the look-ahead of fusions.
    void indexConsumers(const OnnxGraph& graph);
    const std::vector<const OnnxNode*>& consumers(const std::string& name) const;

    /// Outputs of the model and of its subgraphs: a fusion must keep them as tensors.
    bool isGraphOutput(const std::string& name) const { return graphOutputs_.count(name) > 0; }

    /// A tensor that no layer produces but the graph reads (the output of an unmodelled
    /// source operator): it enters the network as an input.
    void addSourceTensor(const std::string& name, Shape shape);
    const std::vector<std::pair<std::string, Shape>>& sourceTensors() const { return sources_; }

    std::vector<Layer>& layers() { return layers_; }
    const std::map<std::string, int>& unmodelled() const { return unmodelled_; }

private:
    const OnnxModel& model_;
    std::vector<std::string>& warnings_;
    std::unordered_map<std::string, OnnxTensor> constants_;
    std::unordered_map<std::string, Shape> shapes_;
    std::unordered_map<std::string, std::string> aliases_;
    std::unordered_map<std::string, Shape> recorded_;
    std::unordered_map<std::string, std::vector<const OnnxNode*>> consumers_;
    std::set<const OnnxNode*> consumed_;
    std::set<std::string> layerNames_;
    std::set<std::string> graphOutputs_;
    std::vector<Layer> layers_;
    std::map<std::string, int> unmodelled_;
    std::vector<std::pair<std::string, Shape>> sources_;
};

}  // namespace cdx
