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
    return numberFormatInfo(format).channelGranularity;
}

}  // namespace cdx
