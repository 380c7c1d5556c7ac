#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cdx {

/// What a design point is measured by: the objectives and constraints of a design space choose
/// from these. Names are the result JSON's keys (README, "Whole-network estimates") where one exists.
enum class Metric : std::size_t {
    EnergyPj,        ///< per inference, static energy included
    LatencyS,
    PowerW,
    EdpJs,           ///< energy-delay product, J x s
    AreaMm2,         ///< ASIC; 0 on an FPGA
    Lut,             ///< FPGA resources; 0 on an ASIC
    Ff,
    Dsp,
    Bram36,
    Uram,
    AccuracyDropPp,  ///< the compression's accuracy drop (proxy or table), percentage points
    MemoryBytes,     ///< the weights as stored: values, indices, pointers
    OpsPerS,         ///< dense-equivalent throughput
    TopsPerW,
    Utilization,
    Count
};

inline constexpr std::size_t kMetricCount = static_cast<std::size_t>(Metric::Count);
using MetricValues = std::array<double, kMetricCount>;

/// "energy_pj", "latency_s", ...
std::string_view metricName(Metric metric);
std::optional<Metric> metricFromName(std::string_view name);
/// Every metric name, comma-separated (for messages).
std::string metricNames();
/// Whether a larger value is the better one when a user does not say (throughput, efficiency).
bool metricPrefersLarger(Metric metric);

}  // namespace cdx
