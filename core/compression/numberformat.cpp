#include "core/compression/numberformat.h"

#include "core/util/nametable.h"

#include <array>
#include <utility>

namespace cdx {

namespace {

constexpr NameTable<NumberFormat, 11> kNames{{
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
    return nameIn(kNames, format);
}

std::optional<NumberFormat> numberFormatFromName(std::string_view name)
{
    return valueIn(kNames, name);
}

std::vector<std::string_view> numberFormatNames()
{
    return namesIn(kNames);
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
