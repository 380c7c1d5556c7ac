#include "core/explore/metric.h"

namespace cdx {

namespace {

constexpr std::array<std::string_view, kMetricCount> kNames{
    "energy_pj", "latency_s", "power_w", "edp_js", "area_mm2", "lut", "ff", "dsp", "bram36", "uram",
    "accuracy_drop_pp", "memory_bytes", "ops_per_s", "tops_per_w", "utilization"};

}  // namespace

std::string_view metricName(Metric metric)
{
    return kNames[static_cast<std::size_t>(metric)];
}

std::optional<Metric> metricFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kMetricCount; ++i)
        if (kNames[i] == name)
            return static_cast<Metric>(i);
    return std::nullopt;
}

std::string metricNames()
{
    std::string all;
    for (std::string_view n : kNames)
        all += (all.empty() ? "" : ", ") + std::string(n);
    return all;
}

bool metricPrefersLarger(Metric metric)
{
    return metric == Metric::OpsPerS || metric == Metric::TopsPerW || metric == Metric::Utilization;
}

}  // namespace cdx
