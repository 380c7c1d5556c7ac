#pragma once

#include "core/network/shape.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace cdx {

/// Most problem dimensions and data spaces the engine handles; fixed so that one evaluation
/// allocates nothing.
inline constexpr int kMaxDims = 8;
inline constexpr int kMaxDataSpaces = 4;

using DimArray = std::array<Dim, kMaxDims>;

/// One term of a projection: coefficient x dimension.
struct ProjectionTerm {
    int dim = 0;
    Dim coefficient = 1;
};

/// A tensor of the problem: each of its axes is an affine sum of problem dimensions (a
/// convolution's input width is Wstride x P + Wdilation x R).
struct DataSpace {
    std::string name;
    std::vector<std::vector<ProjectionTerm>> projection;
    bool readWrite = false;  ///< written (outputs) rather than only read
};

/// A loop-nest problem: named dimensions with bounds and the data spaces they index (the
/// Timeloop problem model; a convolution is its 7-D special case).
struct Problem {
    std::string name;
    std::vector<std::string> dimNames;
    DimArray bounds{};  ///< first dimNames.size() entries used
    std::vector<DataSpace> dataSpaces;
    std::array<double, kMaxDataSpaces> densities{1, 1, 1, 1};

    int dims() const { return static_cast<int>(dimNames.size()); }
    int dataSpaceCount() const { return static_cast<int>(dataSpaces.size()); }
    int dimIndex(std::string_view dimName) const;  ///< -1 if absent
    int dataSpaceIndex(std::string_view spaceName) const;
    /// Product of all bounds: the number of compute operations.
    Dim operations() const;
    /// Elements of data space `d` touched by a tile with these extents per dimension
    /// (each axis spans sum(coefficient x (extent - 1)) + 1).
    Dim tileSize(int d, const DimArray& extents) const;
    /// Elements of the whole data space.
    Dim dataSpaceSize(int d) const { return tileSize(d, bounds); }
    /// Whether dimension `dim` indexes data space `d`.
    bool relevant(int d, int dim) const;
};

}  // namespace cdx
