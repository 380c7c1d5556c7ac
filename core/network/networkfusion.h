#pragma once

#include "core/network/network.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cdx {

/// What an accelerator's output stage applies to a layer's results on their way out of the MAC
/// array, before they are written back: the TPU's activation pipeline (Jouppi et al., ISCA 2017),
/// NVDLA's single-point data processor, Eyeriss's ReLU on the way to the global buffer (Chen et
/// al., JSSC 2017), Angel-Eye's non-linearity and pooling modules (Guo et al., TCAD 2018).
struct OutputStage {
    bool scale = true;      ///< a bias or scale: add, subtract, multiply or divide by a scalar or a per-channel constant; a batch norm not folded
    bool clamp = true;      ///< ReLU, ReLU6, leaky ReLU, PReLU, clip, max or min with a constant
    bool piecewise = true;  ///< hard-sigmoid and hard-swish: a multiply-add and a clamp
    bool lookup = false;    ///< sigmoid, tanh, GELU, SiLU, ELU, softplus, exp, ...: a lookup table
    bool residual = false;  ///< an element-wise add (or product, max, min) with a second activation tensor read beside the results
    bool pool = false;      ///< max or average pooling of the results

    /// "scale, clamp, piecewise, residual": the kinds it applies, for templates' descriptions.
    std::string describe() const;
};

/// What kind of output-stage operator a layer is, if it can be one.
enum class FusedOpKind { Fold, Scale, Clamp, Piecewise, Lookup, Residual, Pool };

std::string_view fusedOpKindName(FusedOpKind kind);

/// The layers of a network grouped as an accelerator runs them: each MAC layer (convolution, fully
/// connected, product of activations) with the chain of operators its output stage applies. A
/// layer joins the group of the layer that produces its input when
/// - that input is the group's last result and nothing else reads it (and it is not a network output),
/// - the output stage applies the layer's kind of operator, and it keeps the shape (pooling excepted),
/// - any second activation operand (a residual add) is computed before the group's MAC layer.
/// Batch norms that fold into the weights (Layer::foldsInto) always join. Quantise and dequantise
/// operators never reach this pass: the importer reads them as the identity.
struct NetworkFusion {
    struct Member {
        int layer = -1;
        FusedOpKind kind = FusedOpKind::Scale;
    };
    /// Per layer: the index of the MAC layer it fuses into, or its own index.
    std::vector<int> anchorOf;
    /// Per layer: the layers fused into it, in order (empty unless it is a MAC layer with fused operators).
    std::vector<std::vector<Member>> members;

    bool fused(std::size_t layer) const { return anchorOf[layer] != static_cast<int>(layer); }
    /// Layers fused into others.
    std::size_t fusedCount() const;
};

/// The name a layer's operator goes by in fusion reports: "relu", "add", "max_pool", else its kind.
std::string operatorName(const Layer& layer);

/// The second operands the layers fused into `anchor` read from outside its group (a residual
/// add's other branch), in the order the stage reads them.
std::vector<std::string> fusedOperands(const Network& net, const NetworkFusion& fusion, std::size_t anchor);

/// The operator kind a layer would be in an output stage; nullopt for layers that never fuse.
std::optional<FusedOpKind> fusedOpKind(const Layer& layer);

/// Groups `net`'s layers for an output stage that applies `stage`.
NetworkFusion fuseNetwork(const Network& net, const OutputStage& stage);

/// Which tensors stay in an on-chip buffer of `capacity` elements between the groups that write
/// and read them, in the order the groups run (each MAC layer's position), with liveness: a
/// tensor occupies the buffer from the group that writes it to the last group that reads it,
/// residual branches included. A group's result stays when it fits beside every tensor still
/// held; otherwise it spills to DRAM (and its readers fetch it). Network inputs start in DRAM and
/// network outputs end there. Tensors inside a group never leave the array. Reshapes, flattens,
/// transposes, splits, slices and concatenations are views: their results are on chip where their
/// inputs are, take no room of their own, and keep their inputs held while they are read.
struct ActivationResidency {
    std::unordered_map<std::string, bool> onChip;  ///< by tensor name, for every group's inputs and outputs
    Dim peakElements = 0;                          ///< the most the buffer held at once

    bool resident(const std::string& tensor) const
    {
        const auto it = onChip.find(tensor);
        return it != onChip.end() && it->second;
    }
};

ActivationResidency activationResidency(const Network& net, const NetworkFusion& fusion, Dim capacity);

}  // namespace cdx
