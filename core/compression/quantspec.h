#pragma once

#include "core/compression/numberformat.h"

#include <optional>
#include <string_view>

namespace cdx {

/// How the exponent bias of a floating-point format is chosen.
enum class FpBias {
    Standard,  ///< IEEE style: 2^(e-1) - 1 (7 for E4M3, 15 for E5M2 and FP16, 127 for BF16 and FP32)
    Adaptive,  ///< from the median magnitude of the values (the SustainML framework (sustainml.eu), table 2); standard without data
    Fixed,     ///< the value in QuantSpec::bias
};

/// Which values share one quantiser fit (scale, zero point, radix, exponent range).
enum class QuantGranularity {
    Tensor,   ///< one for the whole weight matrix (activations always)
    Channel,  ///< one per output channel: per row of the WeightMatrix
};

std::string_view quantGranularityName(QuantGranularity granularity);  ///< "tensor", "channel"
std::optional<QuantGranularity> quantGranularityFromName(std::string_view name);

/// Whether a format gains from a fit per output channel: those whose fit follows the values'
/// range (int, fixed, fp8 through a per-row scale, log2, binary, ternary). The wide floating
/// point formats need no scale, and a codebook per row would be a different scheme.
bool supportsChannelGranularity(NumberFormat format);

/// How one operand of a layer is represented, as the compression plan resolves it.
struct QuantSpec {
    int bits = 8;  ///< total width including the sign (1..32)
    NumberFormat format = NumberFormat::Int;
    bool symmetric = true;         ///< int: zero maps to code 0 (no zero point); false: a zero point over [min, max]
    std::optional<int> fracBits;   ///< fixed: bits after the radix point; unset: chosen from the data's range
    FpBias biasMode = FpBias::Standard;
    int bias = 0;                  ///< FpBias::Fixed only
    /// Plans resolve weights to Channel for int unless told otherwise; a format that does not
    /// support it (supportsChannelGranularity) always resolves to Tensor.
    QuantGranularity granularity = QuantGranularity::Tensor;

    bool perChannel() const { return granularity == QuantGranularity::Channel && supportsChannelGranularity(format); }
};

}  // namespace cdx
