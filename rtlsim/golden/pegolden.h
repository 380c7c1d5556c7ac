#pragma once

#include "estimators/pe/pespec.h"
#include "rtlsim/pestream.h"
#include "rtlsim/petile.h"

#include <cstdint>
#include <vector>

namespace cdx {

/// The PE's arithmetic in C++, written from the PE's specification, not from its RTL: a
/// product of the operands as the configured widths read them (sign- or zero-extended codes),
/// an exact sum wrapping at 64 bits, then the quantiser.
std::vector<std::int32_t> goldenOutputs(const PeSpec& pe, const PeTile& tile);

/// Exact sums of every output before the quantiser (wrapping at 64 bits).
std::vector<std::int64_t> goldenAccumulators(const PeSpec& pe, const PeTile& tile);

/// The quantiser: wrap to accumulatorBits (two's complement), ReLU, add 2^(shift-1) when
/// rounding, arithmetic shift right, saturate to outputBits signed bits.
std::int32_t peQuantise(const PeSpec& pe, std::int64_t accumulator);

/// An operand code as the PE reads `bits` of it.
std::int64_t peOperand(std::int32_t code, int bits, bool isSigned);

/// What the PE's statistics counters should read after a stream: bit flips of the
/// multiplier-input registers (kept lanes only, registers reset to 0) and lane products
/// (a bit-serial beat counts its kept lanes once per serial step).
struct PeActivity {
    std::uint64_t toggles = 0;
    std::uint64_t products = 0;
    std::uint64_t operandBits = 0;  ///< register bits loaded: (weight + activation bits) per kept lane per beat
    /// Bit flips per loaded register bit (the energy model's multipliers assume 0.5: random operands).
    double toggleRate() const { return operandBits == 0 ? 0 : static_cast<double>(toggles) / static_cast<double>(operandBits); }
};
PeActivity goldenActivity(const PeSpec& pe, const PeStream& stream);

}  // namespace cdx
