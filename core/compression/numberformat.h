#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace cdx {

/// How a tensor's values are represented (the "format" of a compression setting).
enum class NumberFormat {
    Int,       ///< two's complement integer, symmetric or asymmetric
    Fixed,     ///< integer with a radix point per layer (dynamic fixed point)
    Fp8E4M3,
    Fp8E5M2,
    Fp16,
    Bf16,
    Fp32,
    Log2,      ///< powers of two: a multiply is a shift
    Binary,
    Ternary,
    Codebook,  ///< indices into a table of shared values
};

/// How a format's values are quantised: which fit and rounding of the Quantizer serve it.
enum class QuantScheme {
    Integer,        ///< a uniform grid of a scale (and zero point) over the range; int1 as binary
    FixedPoint,     ///< a uniform grid of a power-of-two step (a radix point)
    FloatingPoint,  ///< sign, exponent and mantissa with subnormals, round to nearest even, saturating
    PowerOfTwo,     ///< sign and a power of two, or zero
    Sign,           ///< sign(x) times one magnitude
    Ternary,        ///< zero below a threshold, else sign(x) times one magnitude
    Codebook,       ///< the nearest of a table of shared values
};

/// One row of the table of number formats: everything the code decides per format. Adding a
/// format is adding an enumerator and its row (numberformat.cpp).
struct NumberFormatInfo {
    NumberFormat format;
    std::string_view name;    ///< as the file formats spell it
    int impliedBits;          ///< the width the format fixes; 0 where it is free
    int maxBits;              ///< the widest a free width may be
    int exponentBits;         ///< floating point only
    int significandBits;      ///< floating point: with the hidden one; 0 for the others
    bool finiteTopExponent;   ///< floating point: the top exponent holds numbers (OCP E4M3: only mantissa 1..1 is NaN); else Inf/NaN (IEEE)
    bool adaptiveBias;        ///< floating point: FpBias::Adaptive applies (FP8), and the bias is always part of its description
    bool channelGranularity;  ///< supportsChannelGranularity (quantspec.h)
    QuantScheme scheme;
};

/// The row of `format` (a row named "?" with no bits for a value outside the enumeration).
const NumberFormatInfo& numberFormatInfo(NumberFormat format);

std::string_view numberFormatName(NumberFormat format);
std::optional<NumberFormat> numberFormatFromName(std::string_view name);
std::vector<std::string_view> numberFormatNames();

bool isFloatingPoint(NumberFormat format);
/// Significand bits including the hidden one (FP formats only).
int significandBits(NumberFormat format);
int exponentBits(NumberFormat format);
/// The width a format implies (16 for fp16); 0 where the width is free (int, fixed, codebook).
int impliedBits(NumberFormat format);

}  // namespace cdx
