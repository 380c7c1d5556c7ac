#pragma once

#include "core/network/layer.h"
#include "core/network/shape.h"

#include <map>
#include <string>
#include <vector>

namespace cdx {

/// A dimension of a network input: a number, or a named symbol ("batch", "seq_len") bound
/// when the network is created.
struct DimValue {
    Dim value = 0;
    std::string symbol;

    bool isSymbol() const { return !symbol.empty(); }
    static DimValue fixed(Dim v) { return DimValue{v, {}}; }
    static DimValue named(std::string name) { return DimValue{0, std::move(name)}; }
};

enum class DataType { Float32, Int64 };

struct TensorSpec {
    std::string name;
    std::vector<DimValue> dims;
    DataType dtype = DataType::Float32;
};

/// Values given to the symbolic dimensions of a network's inputs.
using DimBindings = std::map<std::string, Dim>;

/// A network as described: inputs with possibly symbolic dimensions, layers in any order
/// (tensors connect them), and outputs. Network::create turns it into an analysed Network.
struct NetworkSpec {
    std::string name;
    std::string description;
    std::string source;
    DimBindings dimDefaults;  ///< the value of each symbol when nothing else binds it
    std::vector<TensorSpec> inputs;
    std::vector<Layer> layers;
    std::vector<std::string> outputs;  ///< empty means every tensor no layer reads
    /// Assumptions made while building the spec (by an importer); they lead the network's
    /// warnings. Not written to network files.
    std::vector<std::string> warnings;
};

std::string_view dataTypeName(DataType type);

}  // namespace cdx
