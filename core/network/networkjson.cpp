#include "core/network/networkjson.h"

#include "core/network/layerjson.h"
#include "core/util/fileio.h"
#include "core/util/jsonreader.h"
#include "core/util/jsonwriter.h"

#include <nlohmann/json.hpp>

namespace cdx {

namespace {

constexpr const char* kFormat = "cdx-network";

DimValue readDim(const JsonValue& v)
{
    if (v.isString()) {
        const std::string symbol = v.asString();
        if (symbol.empty())
            v.fail("a symbolic dimension needs a name");
        return DimValue::named(symbol);
    }
    return DimValue::fixed(v.asInt(1));
}

TensorSpec readInput(JsonObject& o)
{
    TensorSpec input;
    input.name = o.requiredString("name");
    for (const auto& d : o.required("shape").asArray())
        input.dims.push_back(readDim(d));
    const auto dtype = o.optional("dtype");
    const std::string type = dtype ? dtype->asString() : "float32";
    if (type == "int64")
        input.dtype = DataType::Int64;
    else if (type != "float32")
        dtype->fail("unknown dtype \"" + type + "\"; expected float32 or int64");
    o.rejectUnknownKeys();
    return input;
}

/// Checks "format" and "version" of a document; the error says what the file is instead.
void checkFormat(JsonObject& doc)
{
    const auto format = doc.required("format");
    const std::string name = format.asString();
    if (name != kFormat)
        format.fail("this is a \"" + name + "\" file, not a network (\"" + kFormat + "\")");
    const auto version = doc.required("version");
    const auto v = version.asInt(1);
    if (v > kNetworkFormatVersion)
        version.fail("network format version " + std::to_string(v) + " is newer than this build reads (" +
                     std::to_string(kNetworkFormatVersion) + "); update Codesign Explorer");
}

NetworkSpec readSpec(const nlohmann::json& root)
{
    JsonObject doc(root, {});
    checkFormat(doc);
    NetworkSpec spec;
    spec.name = doc.requiredString("name");
    spec.description = doc.optionalString("description", {});
    spec.source = doc.optionalString("source", {});
    if (const auto dims = doc.optional("dims")) {
        JsonObject o = dims->asObject();
        for (auto it = dims->raw().begin(); it != dims->raw().end(); ++it)
            spec.dimDefaults[it.key()] = o.requiredInt(it.key(), 1);
    }
    for (const auto& in : doc.required("inputs").asArray()) {
        JsonObject o = in.asObject();
        spec.inputs.push_back(readInput(o));
    }
    for (const auto& l : doc.required("layers").asArray()) {
        JsonObject o = l.asObject();
        spec.layers.push_back(readLayerJson(o));
    }
    if (doc.has("outputs"))
        spec.outputs = doc.required("outputs").asStringArray();
    doc.rejectUnknownKeys();
    return spec;
}

}  // namespace

Result<Network> readNetworkJson(const std::string& text, const std::string& file, const DimBindings& bindings)
{
    NetworkSpec spec;
    try {
        spec = readSpec(parseJsonText(text));
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
    std::vector<std::string> names;
    for (const auto& layer : spec.layers)
        names.push_back(layer.name);
    const LayerLocator locate = [&names](std::size_t i) {
        return "/layers/" + std::to_string(i) + " (\"" + names[i] + "\")";
    };
    auto network = Network::create(std::move(spec), bindings, locate);
    if (!network) {
        Error error = network.error();
        error.file = file;
        return error;
    }
    return network;
}

Result<Network> loadNetworkFile(const std::string& path, const DimBindings& bindings)
{
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    return readNetworkJson(text.value(), path, bindings);
}

std::string writeNetworkJson(const NetworkSpec& spec)
{
    nlohmann::ordered_json doc;
    doc["format"] = kFormat;
    doc["version"] = kNetworkFormatVersion;
    doc["name"] = spec.name;
    if (!spec.description.empty())
        doc["description"] = spec.description;
    if (!spec.source.empty())
        doc["source"] = spec.source;
    if (!spec.dimDefaults.empty()) {
        nlohmann::ordered_json dims = nlohmann::ordered_json::object();
        for (const auto& [symbol, value] : spec.dimDefaults)
            dims[symbol] = value;
        doc["dims"] = dims;
    }
    doc["inputs"] = nlohmann::ordered_json::array();
    for (const auto& input : spec.inputs) {
        nlohmann::ordered_json j;
        j["name"] = input.name;
        nlohmann::ordered_json shape = nlohmann::ordered_json::array();
        for (const auto& d : input.dims) {
            if (d.isSymbol())
                shape.push_back(d.symbol);
            else
                shape.push_back(d.value);
        }
        j["shape"] = shape;
        if (input.dtype != DataType::Float32)
            j["dtype"] = dataTypeName(input.dtype);
        doc["inputs"].push_back(j);
    }
    doc["layers"] = nlohmann::ordered_json::array();
    for (const auto& layer : spec.layers)
        doc["layers"].push_back(layerToJson(layer));
    if (!spec.outputs.empty())
        doc["outputs"] = spec.outputs;
    return formatJson(doc, 2);
}

std::optional<Error> saveNetworkFile(const Network& network, const std::string& path)
{
    return writeFileAtomically(path, writeNetworkJson(network.toSpec()));
}

}  // namespace cdx
