#pragma once

#include "core/network/networkspec.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// An ONNX model as plain structs: what the reader extracts from the protobuf, and all that the
// importer sees. Only onnxreader.cpp includes protobuf headers.
namespace cdx {

struct OnnxGraph;

/// ONNX TensorProto element types the tool distinguishes (the numbers of the ONNX standard).
enum class OnnxElementType : int {
    Undefined = 0, Float = 1, Uint8 = 2, Int8 = 3, Uint16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8,
    Bool = 9, Float16 = 10, Double = 11, Uint32 = 12, Uint64 = 13, BFloat16 = 16,
};

std::string onnxElementTypeName(OnnxElementType type);
bool isFloatElementType(OnnxElementType type);

/// A constant tensor. Float-like types are held as float, integer and boolean types as int64.
struct OnnxTensor {
    Shape dims;
    OnnxElementType type = OnnxElementType::Float;
    std::shared_ptr<const std::vector<float>> floats;
    std::shared_ptr<const std::vector<std::int64_t>> ints;

    bool isFloat() const { return floats != nullptr; }
    bool hasData() const { return floats || ints; }
    Dim size() const;
    /// Element i as a double, whichever way it is held.
    double value(std::size_t i) const;
    std::vector<std::int64_t> asInts() const;

    static OnnxTensor fromFloats(Shape dims, std::vector<float> values, OnnxElementType type = OnnxElementType::Float);
    static OnnxTensor fromInts(Shape dims, std::vector<std::int64_t> values, OnnxElementType type = OnnxElementType::Int64);
};

struct OnnxAttribute {
    enum class Type { Float, Int, String, Tensor, Graph, Floats, Ints, Strings, Other };
    Type type = Type::Other;
    double f = 0.0;
    std::int64_t i = 0;
    std::string s;
    std::vector<double> floats;
    std::vector<std::int64_t> ints;
    std::vector<std::string> strings;
    std::shared_ptr<const OnnxTensor> tensor;
    std::shared_ptr<const OnnxGraph> graph;
};

struct OnnxNode {
    std::string name;
    std::string opType;
    std::string domain;  ///< empty for the default domain
    std::vector<std::string> inputs;  ///< an empty name is an omitted optional input
    std::vector<std::string> outputs;
    std::map<std::string, OnnxAttribute> attributes;

    const OnnxAttribute* attribute(const std::string& key) const;
    std::int64_t intAttr(const std::string& key, std::int64_t fallback) const;
    double floatAttr(const std::string& key, double fallback) const;
    std::string stringAttr(const std::string& key, const std::string& fallback) const;
    std::vector<std::int64_t> intsAttr(const std::string& key) const;
    bool hasInput(std::size_t index) const { return index < inputs.size() && !inputs[index].empty(); }
    /// "node \"name\" (OpType)", or the op type and position when the node has no name.
    std::string describe() const;
};

struct OnnxValueInfo {
    std::string name;
    OnnxElementType type = OnnxElementType::Undefined;
    bool hasShape = false;
    std::vector<DimValue> dims;  ///< symbolic where the file leaves a dimension open
};

struct OnnxGraph {
    std::string name;
    std::vector<OnnxNode> nodes;
    std::map<std::string, OnnxTensor> initializers;
    std::vector<OnnxValueInfo> inputs;   ///< without the ones that are initializers
    std::vector<OnnxValueInfo> outputs;
    std::map<std::string, OnnxValueInfo> valueInfo;  ///< shapes from the file and from ONNX shape inference
};

struct OnnxModel {
    std::string path;
    std::int64_t irVersion = 0;
    std::int64_t opset = 0;  ///< of the default domain
    std::string producer;
    OnnxGraph graph;
    DimBindings dims;  ///< the value each symbolic input dimension was bound to
    std::vector<std::string> defaultedDims;  ///< symbols nothing bound, set to 1
    std::vector<std::string> warnings;
    std::int64_t storedFloatElements = 0;  ///< float constants (initializers, Constant nodes) the graph uses
};

}  // namespace cdx
