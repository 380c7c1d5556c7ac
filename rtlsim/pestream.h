#pragma once

#include "core/network/shape.h"
#include "estimators/pe/pelimits.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cdx {

/// Lanes of the SystemVerilog PE as built (LANES, kPeLimits.lanes); a PeSpec uses up to this many.
inline constexpr int kPeMaxLanes = kPeLimits.lanes;
/// Entries of the PE's activation buffer (sparse mode), 2^IDXW (kPeLimits.indexBits).
inline constexpr int kPeBufferEntries = kPeLimits.bufferEntries();

/// One beat of the PE's operand stream: a weight and an activation (or, sparse, an activation
/// buffer index) per lane, which lanes it carries, and whether it ends a reduction.
struct PeBeat {
    static_assert(kPeMaxLanes <= 32, "keep holds a bit per lane");
    static_assert(kPeLimits.indexBits <= 16, "index holds an activation-buffer address");
    static_assert(kPeLimits.dataBits < 32, "weight and activation hold an operand's code, signed or unsigned");

    std::array<std::int32_t, kPeMaxLanes> weight{};
    std::array<std::int32_t, kPeMaxLanes> activation{};
    std::array<std::uint16_t, kPeMaxLanes> index{};
    std::uint32_t keep = 0;  ///< bit l: lane l carries a product
    bool last = false;
};

/// What the PE is fed for one tile: the activation buffer's contents (sparse mode, written
/// lanes entries per cycle before the stream) and the operand beats.
struct PeStream {
    std::vector<std::int32_t> activationBuffer;
    std::vector<PeBeat> beats;
    Dim expectedOutputs = 0;  ///< results the beats produce
};

}  // namespace cdx
