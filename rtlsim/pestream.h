#pragma once

#include "core/network/shape.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cdx {

/// Lanes of the SystemVerilog PE as built (rtlsim/rtl/cdx_pe.sv, LANES); a PeSpec uses up to this many.
inline constexpr int kPeMaxLanes = 16;
/// Entries of the PE's activation buffer (sparse mode), 2^IDXW.
inline constexpr int kPeBufferEntries = 4096;

/// One beat of the PE's operand stream: a weight and an activation (or, sparse, an activation
/// buffer index) per lane, which lanes it carries, and whether it ends a reduction.
struct PeBeat {
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
