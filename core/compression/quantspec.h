#pragma once

#include "core/compression/numberformat.h"

#include <optional>

namespace cdx {

/// How the exponent bias of a floating-point format is chosen.
enum class FpBias {
    Standard,  ///< IEEE style: 2^(e-1) - 1 (7 for E4M3, 15 for E5M2 and FP16, 127 for BF16 and FP32)
    Adaptive,  ///< from the median magnitude of the values (seed 003, table 2); standard without data
    Fixed,     ///< the value in QuantSpec::bias
};

/// How one operand of a layer is represented, as the compression plan resolves it.
struct QuantSpec {
    int bits = 8;  ///< total width including the sign (1..32)
    NumberFormat format = NumberFormat::Int;
    bool symmetric = true;         ///< int: zero maps to code 0 (no zero point); false: a zero point over [min, max]
    std::optional<int> fracBits;   ///< fixed: bits after the radix point; unset: chosen from the data's range
    FpBias biasMode = FpBias::Standard;
    int bias = 0;                  ///< FpBias::Fixed only
};

}  // namespace cdx
