#pragma once

#include "estimators/engine/architecture.h"
#include "estimators/engine/problem.h"

#include <array>
#include <bitset>
#include <string>
#include <vector>

namespace cdx {

/// What a template (its dataflow) allows the mapper at one storage level, in Timeloop's
/// terms: fixed factors, which dimensions may be spread over the fan-out in X and Y, loops
/// that must be innermost, and operands the level must keep or must bypass.
struct LevelConstraints {
    /// Per dimension: 0 = free; f > 0 = the factor must be exactly f (1: no loop here).
    DimArray temporalFactor{};
    DimArray spatialFactor{};   ///< the same for the product of the X and Y factors
    unsigned spatialXDims = ~0u;  ///< dimensions that may be spread in X
    unsigned spatialYDims = ~0u;  ///< ... and in Y
    /// Dimensions forced innermost at this level, innermost first (Timeloop's partial permutation).
    std::vector<int> permutationPrefix;
    std::bitset<kMaxDataSpaces> keep;    ///< must keep
    std::bitset<kMaxDataSpaces> bypass;  ///< must bypass (neither: the mapper chooses)
};

/// One LevelConstraints per storage level of the architecture, innermost first.
struct MappingConstraints {
    std::vector<LevelConstraints> levels;

    /// No constraint at any level of `arch`.
    static MappingConstraints none(const Architecture& arch);
};

}  // namespace cdx
