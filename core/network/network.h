#pragma once

#include "core/network/layer.h"
#include "core/network/networkspec.h"
#include "core/util/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cdx {

/// The largest dimension and tensor the tool accepts. Beyond them a file is certainly wrong,
/// and an analysis of it would only run out of memory or time.
inline constexpr Dim kMaxDimension = Dim{1} << 32;
inline constexpr Dim kMaxTensorElements = Dim{1} << 40;
inline constexpr std::size_t kMaxRank = 8;  ///< dimensions of a tensor

/// Sums over all layers of a network.
struct NetworkTotals {
    std::int64_t layers = 0;
    std::int64_t macLayers = 0;
    std::int64_t macs = 0;
    std::int64_t params = 0;
    std::int64_t weights = 0;
    std::int64_t ops = 0;
    std::int64_t activationElements = 0;  ///< sum of every layer's output elements
};

/// Describes where layer `index` of a spec came from ("/layers/3" in a JSON file, an ONNX
/// node name), for error messages.
using LayerLocator = std::function<std::string(std::size_t index)>;

/// An analysed network: a DAG of layers in topological order, with every tensor's shape and
/// every layer's counts. Immutable once created.
class Network {
public:
    struct Tensor {
        Shape shape;
        DataType dtype = DataType::Float32;
        int producer = -1;  ///< layer index, or -1 for a network input
        std::vector<int> consumers;
    };

    /// Binds symbolic dimensions (bindings, then the spec's defaults, then 1 with a warning),
    /// orders the layers, infers shapes and counts. Fails on duplicate or unknown names,
    /// cycles, impossible shapes and counts past 64 bits, naming the layer via `locate`.
    static Result<Network> create(NetworkSpec spec, const DimBindings& bindings = {},
                                  const LayerLocator& locate = {});

    const std::string& name() const { return header_.name; }
    const std::string& description() const { return header_.description; }
    const std::string& source() const { return header_.source; }
    const std::vector<TensorSpec>& inputSpecs() const { return header_.inputs; }
    const DimBindings& dimDefaults() const { return header_.dimDefaults; }
    const DimBindings& dims() const { return dims_; }  ///< the value every symbol was bound to
    const std::vector<Layer>& layers() const { return layers_; }
    const std::vector<std::string>& outputs() const { return outputs_; }
    const std::vector<std::string>& warnings() const { return warnings_; }

    const Layer* findLayer(std::string_view name) const;
    const Tensor* findTensor(std::string_view name) const;
    const NetworkTotals& totals() const { return totals_; }

    /// The spec this network was created from, with layers in topological order; creating a
    /// network from it again gives the same network.
    NetworkSpec toSpec() const;

private:
    friend class NetworkAssembly;
    Network() = default;

    NetworkSpec header_;  ///< the spec as given, without its layers
    DimBindings dims_;
    std::vector<Layer> layers_;
    std::vector<std::string> outputs_;  ///< as given, or else resolved
    std::vector<std::string> warnings_;
    NetworkTotals totals_;
    std::unordered_map<std::string, Tensor> tensors_;
    std::unordered_map<std::string, int> layerIndex_;
};

}  // namespace cdx
