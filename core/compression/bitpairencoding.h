#pragma once

#include "core/compression/quantizer.h"

#include <cstdint>
#include <span>

namespace cdx {

/// Bit-pair encoding (BPE, Z. Wang's (Nanjing University, VLSI DNN implementation) FPAP; radix-4 Booth recoding): an n-bit two's-complement
/// value W is recoded into ceil(n/2) digits V_i = -2 W_{2i+1} + W_{2i} + W_{2i-1} in {-2..2}
/// (W_{-1} = 0, bits above n - 1 sign-extended), so W = sum_i 4^i V_i. A shift-and-add MAC
/// only sums the nonzero digits: the "essential add terms".
///
/// Essential add terms of `value` at `bits` (1..62). `value` must fit the n-bit range.
int bitPairTerms(std::int64_t value, int bits);

/// The distribution of essential add terms per value.
struct BitPairStats {
    double mean = 0;      ///< essential terms per value (zeros count 0)
    double variance = 0;  ///< of the terms per value
    double zeroShare = 0; ///< values with no essential term (zero values)
};

/// Over quantised integer codes (real weights).
BitPairStats bitPairStats(std::span<const std::int64_t> codes, int bits);

/// Over values quantised by `params` (int or fixed formats; others give an empty result with
/// mean 0): each value's integer code, then its terms.
BitPairStats bitPairStatsOf(std::span<const float> values, const QuantParams& params);

/// The integer step of an int or fixed quantiser (scale or 2^-fracBits); 0 for other formats.
double quantStep(const QuantParams& params);

/// Expected terms for zero-mean Gaussian values of unit deviation quantised with step `step`
/// (in deviations) to `bits`-bit codes (clipped to the symmetric range), after magnitude
/// pruning to `density` (the smallest |x| set to 0; 1 = no pruning). Summed over every code's
/// probability mass: exact for the model.
BitPairStats gaussianBitPairStats(int bits, double step, double density = 1.0);

/// Expected terms for codes uniform over the whole n-bit two's-complement range.
BitPairStats uniformBitPairStats(int bits);

}  // namespace cdx
