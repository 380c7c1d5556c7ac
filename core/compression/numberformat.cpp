#include "core/compression/numberformat.h"

#include <array>
#include <utility>

namespace cdx {

namespace {

constexpr std::array<std::pair<NumberFormat, std::string_view>, 11> kNames{{
    {NumberFormat::Int, "int"},
    {NumberFormat::Fixed, "fixed"},
    {NumberFormat::Fp8E4M3, "fp8_e4m3"},
    {NumberFormat::Fp8E5M2, "fp8_e5m2"},
    {NumberFormat::Fp16, "fp16"},
    {NumberFormat::Bf16, "bf16"},
    {NumberFormat::Fp32, "fp32"},
    {NumberFormat::Log2, "log2"},
    {NumberFormat::Binary, "binary"},
    {NumberFormat::Ternary, "ternary"},
    {NumberFormat::Codebook, "codebook"},
}};

}  // namespace

std::string_view numberFormatName(NumberFormat format)
{
    for (const auto& [f, name] : kNames)
        if (f == format)
            return name;
    return "?";
}

std::optional<NumberFormat> numberFormatFromName(std::string_view name)
{
    for (const auto& [f, n] : kNames)
        if (n == name)
            return f;
    return std::nullopt;
}

std::vector<std::string_view> numberFormatNames()
{
    std::vector<std::string_view> names;
    for (const auto& entry : kNames)
        names.push_back(entry.second);
    return names;
}

bool isFloatingPoint(NumberFormat format)
{
    return significandBits(format) > 0;
}

int significandBits(NumberFormat format)
{
    switch (format) {
    case NumberFormat::Fp8E4M3: return 4;
    case NumberFormat::Fp8E5M2: return 3;
    case NumberFormat::Fp16: return 11;
    case NumberFormat::Bf16: return 8;
    case NumberFormat::Fp32: return 24;
    default: return 0;
    }
}

int exponentBits(NumberFormat format)
{
    switch (format) {
    case NumberFormat::Fp8E4M3: return 4;
    case NumberFormat::Fp8E5M2: return 5;
    case NumberFormat::Fp16: return 5;
    case NumberFormat::Bf16: return 8;
    case NumberFormat::Fp32: return 8;
    default: return 0;
    }
}

int impliedBits(NumberFormat format)
{
    switch (format) {
    case NumberFormat::Fp8E4M3:
    case NumberFormat::Fp8E5M2: return 8;
    case NumberFormat::Fp16:
    case NumberFormat::Bf16: return 16;
    case NumberFormat::Fp32: return 32;
    case NumberFormat::Binary: return 1;
    case NumberFormat::Ternary: return 2;
    default: return 0;
    }
}

}  // namespace cdx
