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
