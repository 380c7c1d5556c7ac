#pragma once

#include "core/compression/quantspec.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cdx {

/// What a quantiser was fitted to: the values' range and typical magnitude. From real data
/// (`fromData`) or, for a layer without weights in its file, from an assumed distribution.
struct ValueRange {
    double minValue = -1;
    double maxValue = 1;
    double maxAbs = 1;
    double medianAbs = 0.5;  ///< median of |x| over the nonzero values
    double rms = 0.5;
    bool measured = false;   ///< true when it came from values, false when assumed

    static ValueRange fromData(std::span<const float> values);
    /// Zero-mean Gaussian values of standard deviation `sigma` (the model used without data):
    /// maxAbs = 4 sigma, median |x| = 0.6745 sigma, rms = sigma.
    static ValueRange gaussian(double sigma);
};

/// The parameters a quantiser resolved: what a user needs to reproduce it in hardware.
struct QuantParams {
    NumberFormat format = NumberFormat::Int;
    int bits = 8;
    double scale = 1;         ///< int: value of one step; binary/ternary: the magnitude of +-1
    double zeroPoint = 0;     ///< int asymmetric: the code of 0.0
    int fracBits = 0;         ///< fixed: bits after the radix point (may be negative or exceed bits)
    int exponentBits = 0;     ///< floating point (FP8/16, BF16, FP32)
    int mantissaBits = 0;     ///< stored mantissa bits (without the hidden one)
    int bias = 0;             ///< floating point: exponent bias actually used
    int maxExponent = 0;      ///< log2: largest power of two, 2^m
    int minExponent = 0;      ///< log2: smallest power of two, 2^-f (LogQ_{m,-f} of Z. Wang (Nanjing University, VLSI DNN implementation))
    double threshold = 0;     ///< ternary: |x| below it becomes 0
    std::vector<float> codebook;  ///< codebook: the 2^bits shared values, ascending
    double lowest = -1;       ///< most negative representable value
    double highest = 1;       ///< largest representable value

    /// One line: "int8 symmetric, scale 0.0123", "fixed<8,5>", "fp8_e5m2 bias 18", "LogQ_{1,-5}".
    std::string describe() const;
};

/// A quantiser for one of the formats of NumberFormat at a given width, fitted to a range:
///  - int: symmetric (scale = maxAbs / (2^(b-1) - 1)) or asymmetric (scale = (max - min) / (2^b - 1), zero point);
///  - fixed: dynamic fixed point (Guo et al. (IEEE Micro 2017)): fracBits = b - 1 - ceil(log2(maxAbs)) unless given;
///  - fp8_e4m3 / fp8_e5m2: sign, e exponent, m mantissa bits, subnormals, saturating to the largest
///    finite value (E4M3 as OCP FP8: exponent 15 with mantissa 111 is NaN, max 448 at bias 7;
///    E5M2 as IEEE: exponent 31 is Inf/NaN, max 57344 at bias 15); the bias standard, fixed,
///    or adaptive: fp8AdaptiveBias of the median magnitude;
///  - fp16, bf16, fp32: IEEE binary16, bfloat16, binary32 rounding (nearest, ties to even), saturating;
///  - log2: sign and a power of two 2^k for k in [minExponent, maxExponent], or zero (Z. Wang's (Nanjing University, VLSI DNN implementation)
///    LogQ); b bits = 1 sign bit + (b - 1) bits for 2^(b-1) - 1 exponents and zero; maxExponent =
///    round(log2(maxAbs)), minExponent = maxExponent - (2^(b-1) - 2); values nearest in the log domain,
///    values below 2^(minExponent - 1) become zero;
///  - binary: sign(x) * mean|x| (XNOR-Net);
///  - ternary: 0 below a threshold of 0.7 mean|x|, else sign(x) times the mean magnitude of the kept ones (TWN);
///  - codebook: 2^b shared values fitted by k-means (linear initialisation over [min, max], as Deep
///    Compression; a fixed number of Lloyd iterations, deterministic); without data, levels of a
///    Gaussian quantiser.
/// Round to nearest everywhere; values beyond the range saturate (and count as clipped).
/// Which of these a format gets is its row's QuantScheme in the table of number formats
/// (numberFormatInfo, numberformat.h); the widths and floating-point layouts are its row's too.
class Quantizer {
public:
    /// Fits to the values themselves (codebook and ternary need them; the others use their range).
    static Quantizer fit(const QuantSpec& spec, std::span<const float> values);
    /// Fits to a range without values (activations, layers without stored weights).
    static Quantizer fit(const QuantSpec& spec, const ValueRange& range);

    double quantize(double x) const;
    /// quantize() of every value, as float (in and out may be the same): the same values, with the
    /// uniform formats' rounding done without a library call per value (fake quantisation of
    /// activations runs this on every layer output of every example).
    void quantize(std::span<const float> in, std::span<float> out) const;
    const QuantParams& params() const { return params_; }
    const QuantSpec& spec() const { return spec_; }

private:
    QuantSpec spec_;
    QuantParams params_;
};

/// Quantisation error of one tensor. `measured` says whether it came from real values
/// (measureQuantization) or from the analytical noise model (modelQuantization).
struct QuantStats {
    double sqnrDb = 0;             ///< 10 log10(sum x^2 / sum (x - q(x))^2); +inf for an exact format
    double noiseToSignal = 0;      ///< sum (x - q(x))^2 / sum x^2 (linear, what the accuracy proxy adds up)
    double maxAbsError = 0;
    double clippedFraction = 0;    ///< share of values outside [lowest, highest]
    std::int64_t values = 0;
    bool measured = false;
    std::string model;             ///< how an unmeasured figure was obtained, one sentence
};

QuantStats measureQuantization(const Quantizer& quantizer, std::span<const float> values);

/// The analytical noise model for a tensor without data: zero-mean Gaussian values of unit
/// variance through the quantiser fitted to ValueRange::gaussian(1). Uniform quantisers
/// (int, fixed, codebook fallback): step^2/12 over the range plus the clipped tails' error;
/// floating point with p significand bits: relative noise 2^(-2p) / 6 (a uniform rounding error
/// over a mantissa uniform in [1, 2)), plus underflow below the smallest subnormal; log2: the
/// relative error of rounding in the log domain; binary and ternary: their closed forms for a
/// Gaussian (1 - 2/pi for binary). `model` says so.
QuantStats modelQuantization(const QuantSpec& spec);

/// The FP8 exponent bias that centres the format's range on the median magnitude (the SustainML framework (sustainml.eu),
/// table 2, for a 5-bit exponent: median 2^(16 - bias), so 64 -> 10, 1 -> 16, 2^-15 -> 31):
/// the bias of the nearest tabulated median, nearest in value as SustainML says, limited to
/// the table's 10..31. For a 4-bit exponent the same rule about its middle exponent 8
/// (median 2^(8 - bias)), limited to 2..15.
int fp8AdaptiveBias(double medianAbs, int exponentBits);

}  // namespace cdx
