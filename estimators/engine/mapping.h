#pragma once

#include "estimators/engine/problem.h"

#include <array>
#include <bitset>
#include <vector>

namespace cdx {

/// The loops a storage level owns: temporal factors in an order, spatial factors over its
/// fan-out to the level below in X and Y, and which data spaces it keeps.
struct LevelMapping {
    DimArray temporal{};                   ///< factor per dimension (1 = no loop)
    std::array<int, kMaxDims> order{};     ///< temporal loop order, innermost first (dimension indices)
    int orderSize = 0;
    DimArray spatialX{};
    DimArray spatialY{};
    std::array<int, kMaxDims> spatialOrder{};  ///< spatial loops, innermost first; X ones before Y ones
    int spatialOrderSize = 0;
    std::bitset<kMaxDataSpaces> keep;      ///< data spaces this level stores; others bypass it

    LevelMapping()
    {
        temporal.fill(1);
        spatialX.fill(1);
        spatialY.fill(1);
    }
};

/// A complete mapping: one LevelMapping per storage level, in the architecture's order
/// (innermost first).
struct Mapping {
    std::vector<LevelMapping> levels;
};

}  // namespace cdx
