#pragma once

#include "core/compression/compressionplan.h"
#include "core/compression/compressionreport.h"
#include "core/network/layer.h"
#include "estimators/engine/problem.h"

#include <string>
#include <utility>
#include <vector>

namespace cdx {

/// Where a piece of a layer's work runs.
enum class WorkUnit {
    Array,   ///< the MAC array, as a loop-nest problem
    Vector,  ///< element-wise, pooling, normalisation, functions: a vector unit (or the host)
    None,    ///< no work: shape-only ops, batch norm folded into the layer before it
};

const char* workUnitName(WorkUnit unit);

/// A piece of a layer's work in the terms the templates consume: a
/// loop-nest problem for the array, or a count of element operations for the vector unit,
/// with the operands' precision and how often it repeats (the time steps of a recurrent layer).
struct Workload {
    std::string name;   ///< the layer's name, with a suffix for the parts of a layer (".gates")
    std::string layer;  ///< the layer it comes from
    LayerKind kind = LayerKind::Other;
    WorkUnit unit = WorkUnit::None;
    Problem problem;           ///< Array: one repetition
    Dim repeat = 1;            ///< repetitions that cannot share their weights' fetch (time steps)
    Dim macs = 0;              ///< MACs of the problem as lowered (after channel, group and block-diagonal pruning), all repetitions
    Dim denseMacs = 0;         ///< the layer's algorithmic MACs before compression (this workload's part)
    Dim vectorOps = 0;         ///< Vector: element operations, all repetitions
    Dim inputElements = 0;     ///< activation elements read, all repetitions
    Dim outputElements = 0;    ///< activation elements written
    Dim weightElements = 0;    ///< weights (constant operand) of one repetition
    bool weightsAreActivations = false;  ///< a product of two activations (attention): no stored weights
    LayerCompression compression;
    WorkloadEffect effect;     ///< what the compression does to the layer (densities, metadata, imbalance, effective MACs)
    std::string note;          ///< an approximation made in lowering, for the warnings

    /// A layer fused into another's output stage (core/network/networkfusion.h): that layer's name.
    /// The workload does no work of its own.
    std::string fusedInto;
    /// The last workload of a MAC layer: the layers its output stage applies (name and operator
    /// kind), their element operations, and the second operands (residual adds) they read.
    std::vector<std::pair<std::string, std::string>> fused;
    Dim fusedOps = 0;
    Dim fusedOperandElements = 0;
    /// Activations between layers, when the design keeps them in an on-chip buffer (the
    /// estimator's liveness pass): the activation elements this workload reads from DRAM and
    /// writes to it. Unknown: the template decides alone.
    bool residencyKnown = false;
    Dim dramInputElements = 0;
    Dim dramOutputElements = 0;
    Dim dramFusedOperandElements = 0;  ///< of fusedOperandElements

    /// The problem's stride and kernel and so on, as one line: "conv 3x3/2 C=64 M=128 P=Q=56".
    std::string describe() const;
};

/// Splits a layer into workloads. MAC layers become loop-nest problems: convolutions (grouped
/// and depthwise ones with G groups), fully connected layers and weight products as GEMM,
/// products of two activations as batched GEMM, recurrent cells as a GEMM per time step
/// (and one for an LSTM's projection). Non-MAC layers become vector work; shape-only
/// layers and batch norms folded into the layer before them none. The dense MACs of the
/// workloads of a layer add up to the layer's. The compression's structure shapes the problem:
/// channel pruning (here and upstream) shrinks its channels, group and block-diagonal pruning
/// split it into independent groups; element-level sparsity stays in `effect` for the templates.
std::vector<Workload> lowerLayer(const Layer& layer, const LayerCompression& compression, const WorkloadEffect& effect = {});

}  // namespace cdx
