#include "core/network/networkreport.h"

#include <nlohmann/json.hpp>

namespace cdx {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json shapesJson(const std::vector<Shape>& shapes)
{
    ordered_json list = ordered_json::array();
    for (const auto& s : shapes)
        list.push_back(s);
    return list;
}

ordered_json layerJson(std::size_t index, const Layer& layer)
{
    ordered_json j;
    j["index"] = index;
    j["name"] = layer.name;
    j["kind"] = layerKindName(layer.kind);
    j["inputs"] = layer.inputs;
    j["outputs"] = layer.outputs;
    j["input_shapes"] = shapesJson(layer.inputShapes);
    j["output_shapes"] = shapesJson(layer.outputShapes);
    j["macs"] = layer.counts.macs;
    j["params"] = layer.counts.params;
    j["weights"] = layer.counts.weights;
    j["input_elements"] = layer.counts.inputElements;
    j["output_elements"] = layer.counts.outputElements;
    j["ops"] = layer.counts.ops;
    if (!layer.foldsInto.empty())
        j["folds_into"] = layer.foldsInto;
    return j;
}

}  // namespace

ordered_json networkReportJson(const Network& network)
{
    ordered_json doc;
    doc["format"] = "cdx-inspect";
    doc["version"] = 1;
    ordered_json net;
    net["name"] = network.name();
    net["description"] = network.description();
    net["source"] = network.source();
    ordered_json dims = ordered_json::object();
    for (const auto& [symbol, value] : network.dims())
        dims[symbol] = value;
    net["dims"] = dims;
    ordered_json inputs = ordered_json::array();
    for (const auto& input : network.inputSpecs()) {
        ordered_json j;
        j["name"] = input.name;
        j["shape"] = network.findTensor(input.name)->shape;
        j["dtype"] = dataTypeName(input.dtype);
        inputs.push_back(j);
    }
    net["inputs"] = inputs;
    net["outputs"] = network.outputs();
    doc["network"] = net;

    ordered_json layers = ordered_json::array();
    for (std::size_t i = 0; i < network.layers().size(); ++i)
        layers.push_back(layerJson(i, network.layers()[i]));
    doc["layers"] = layers;

    const NetworkTotals& t = network.totals();
    ordered_json totals;
    totals["layers"] = t.layers;
    totals["mac_layers"] = t.macLayers;
    totals["macs"] = t.macs;
    totals["params"] = t.params;
    totals["weights"] = t.weights;
    totals["ops"] = t.ops;
    totals["activation_elements"] = t.activationElements;
    doc["totals"] = totals;
    doc["warnings"] = network.warnings();
    return doc;
}

}  // namespace cdx
