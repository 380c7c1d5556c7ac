#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cdx {

using Dim = std::int64_t;
using Shape = std::vector<Dim>;

/// "1x3x224x224"; "scalar" for rank 0.
std::string formatShape(const Shape& shape);

/// Product of the dimensions; throws CountOverflow past 64 bits.
Dim elementCount(const Shape& shape);

/// NumPy broadcasting of two shapes, or nothing if they are incompatible.
std::optional<Shape> broadcastShapes(const Shape& a, const Shape& b);

/// Resolves a possibly negative axis against a rank; nothing if out of range.
std::optional<std::size_t> normaliseAxis(Dim axis, std::size_t rank);

}  // namespace cdx
