#include "core/compression/quantspec.h"

namespace cdx {

std::string_view quantGranularityName(QuantGranularity granularity)
{
    return granularity == QuantGranularity::Channel ? "channel" : "tensor";
}

std::optional<QuantGranularity> quantGranularityFromName(std::string_view name)
{
    if (name == "channel")
        return QuantGranularity::Channel;
    if (name == "tensor")
        return QuantGranularity::Tensor;
    return std::nullopt;
}

bool supportsChannelGranularity(NumberFormat format)
{
    switch (format) {
    case NumberFormat::Int:
    case NumberFormat::Fixed:
    case NumberFormat::Fp8E4M3:
    case NumberFormat::Fp8E5M2:
    case NumberFormat::Log2:
    case NumberFormat::Binary:
    case NumberFormat::Ternary: return true;
    case NumberFormat::Fp16:
    case NumberFormat::Bf16:
    case NumberFormat::Fp32:
    case NumberFormat::Codebook: return false;
    }
    return false;
}

}  // namespace cdx
