#include "core/compression/numberformat.h"

#include <array>
#include <cstddef>

namespace cdx {

namespace {

using enum QuantScheme;

// The table of number formats, in the enumeration's order (which is also the listing order of
// numberFormatNames). FP8 E4M3 as OCP FP8 (exponent 15 holds numbers, only mantissa 111 is NaN),
// E5M2, FP16, BF16 and FP32 as IEEE (the top exponent is Inf/NaN). Codebooks stop at 16 bits:
// more than 2^16 entries is no longer a small table of shared values.
constexpr std::array<NumberFormatInfo, 11> kFormats{{
    // format                name        implied  max  exp  sig  finite top  adaptive  channel  scheme
    {NumberFormat::Int,      "int",      0,       32,  0,   0,   false,      false,    true,    Integer},
    {NumberFormat::Fixed,    "fixed",    0,       32,  0,   0,   false,      false,    true,    FixedPoint},
    {NumberFormat::Fp8E4M3,  "fp8_e4m3", 8,       8,   4,   4,   true,       true,     true,    FloatingPoint},
    {NumberFormat::Fp8E5M2,  "fp8_e5m2", 8,       8,   5,   3,   false,      true,     true,    FloatingPoint},
    {NumberFormat::Fp16,     "fp16",     16,      16,  5,   11,  false,      false,    false,   FloatingPoint},
    {NumberFormat::Bf16,     "bf16",     16,      16,  8,   8,   false,      false,    false,   FloatingPoint},
    {NumberFormat::Fp32,     "fp32",     32,      32,  8,   24,  false,      false,    false,   FloatingPoint},
    {NumberFormat::Log2,     "log2",     0,       32,  0,   0,   false,      false,    true,    PowerOfTwo},
    {NumberFormat::Binary,   "binary",   1,       1,   0,   0,   false,      false,    true,    Sign},
    {NumberFormat::Ternary,  "ternary",  2,       2,   0,   0,   false,      false,    true,    Ternary},
    {NumberFormat::Codebook, "codebook", 0,       16,  0,   0,   false,      false,    false,   Codebook},
}};

// What numberFormatInfo answers for a value outside the enumeration.
constexpr NumberFormatInfo kUnknown{NumberFormat::Int, "?", 0, 32, 0, 0, false, false, false, Integer};

// True when every row sits at its enumerator's index, so that a lookup is an index.
constexpr bool inEnumerationOrder()
{
    for (std::size_t i = 0; i < kFormats.size(); ++i)
        if (static_cast<std::size_t>(kFormats[i].format) != i)
            return false;
    return true;
}
static_assert(inEnumerationOrder(), "kFormats must list the formats in NumberFormat's order");

}  // namespace

const NumberFormatInfo& numberFormatInfo(NumberFormat format)
{
    const auto index = static_cast<std::size_t>(format);
    return index < kFormats.size() ? kFormats[index] : kUnknown;
}

std::string_view numberFormatName(NumberFormat format)
{
    return numberFormatInfo(format).name;
}

std::optional<NumberFormat> numberFormatFromName(std::string_view name)
{
    for (const NumberFormatInfo& f : kFormats)
        if (f.name == name)
            return f.format;
    return std::nullopt;
}

std::vector<std::string_view> numberFormatNames()
{
    std::vector<std::string_view> names;
    for (const NumberFormatInfo& f : kFormats)
        names.push_back(f.name);
    return names;
}

bool isFloatingPoint(NumberFormat format)
{
    return significandBits(format) > 0;
}

int significandBits(NumberFormat format)
{
    return numberFormatInfo(format).significandBits;
}

int exponentBits(NumberFormat format)
{
    return numberFormatInfo(format).exponentBits;
}

int impliedBits(NumberFormat format)
{
    return numberFormatInfo(format).impliedBits;
}

}  // namespace cdx
