#pragma once

#include "core/network/shape.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdx {

/// Which weights a layer keeps, and in what structure.
enum class PruningKind {
    None,
    Unstructured,   ///< magnitude pruning to a density over the whole layer
    LoadBalanced,   ///< magnitude pruning to the same number of nonzeros in each PE's rows (Guo et al. (IEEE Micro 2017), ESE)
    TopK,           ///< the k largest of every group of `group` consecutive weights of a row (Z. Wang (Nanjing University, VLSI DNN implementation), E-LSTM)
    BlockDiagonal,  ///< `blocks` dense blocks on the diagonal after a row and column permutation (Naous (UC Berkeley, edge-inference generators), APU)
    Channel,        ///< whole output channels (filters, neurons) by L1 norm: the layer's shape shrinks
    NM,             ///< n of every m consecutive weights of a row (2:4)
    Block,          ///< square blocks of `size` kept by L2 norm to a density
    Circulant,      ///< b x b circulant blocks, one vector of b values each (Z. Wang; Y. Wang et al., AAAI 2018: CirCNN, C-LSTM)
    Group,          ///< a group convolution of `groups` groups: block-diagonal without permutation
};

std::string_view pruningKindName(PruningKind kind);
std::optional<PruningKind> pruningKindFromName(std::string_view name);
std::vector<std::string_view> pruningKindNames();

/// A pruning setting; only the fields of its kind are meaningful.
struct PruningSpec {
    PruningKind kind = PruningKind::None;
    double density = 1.0;   ///< unstructured, load_balanced, block: share of weights kept
    Dim pes = 1;            ///< load_balanced: PEs whose rows (interleaved, row r on PE r mod pes) keep equal counts
    Dim group = 0;          ///< topk: group length
    Dim k = 0;              ///< topk: kept per group
    Dim blocks = 0;         ///< block_diagonal: number of diagonal blocks
    std::uint64_t seed = 1; ///< block_diagonal: seed of the starting permutation
    double keep = 1.0;      ///< channel: share of output channels kept
    Dim n = 0;              ///< nm: kept of every m
    Dim m = 0;
    Dim size = 0;           ///< block: block edge
    Dim blockSize = 0;      ///< circulant: b
    bool pad = false;       ///< circulant: zero-pad a matrix whose sides b does not divide (CirCNN does)
    Dim groups = 0;         ///< group: number of groups

    /// The share of weights the structure keeps before looking at the weights (1/blocks, k/group, ...).
    double nominalDensity() const;
    /// "unstructured 0.1", "topk (16,2)", "circulant b=16".
    std::string describe() const;
    bool operator==(const PruningSpec&) const = default;
};

}  // namespace cdx
