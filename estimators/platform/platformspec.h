#pragma once

#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cdx {

enum class PlatformKind { Asic, Fpga };

/// A project's "platform" block: an ASIC node or an FPGA device, the clock, and the DRAM.
struct PlatformSpec {
    PlatformKind kind = PlatformKind::Asic;
    double nodeNm = 45;
    std::optional<double> vdd;     ///< ASIC; the node's nominal when absent
    double clockMhz = 1000;
    std::string dram = "lpddr4";   ///< a DRAM type of the technology tables
    std::optional<double> dramBandwidthGBs;  ///< off-chip bandwidth; the template's default when absent
    std::string device;            ///< FPGA

    /// Reads a platform block ("/platform" in `file`); unknown keys and impossible values
    /// (a clock of 0, a negative node) are errors naming the key.
    static Result<PlatformSpec> fromJson(const nlohmann::ordered_json& block, const std::string& file);
    nlohmann::ordered_json toJson() const;
};

}  // namespace cdx
