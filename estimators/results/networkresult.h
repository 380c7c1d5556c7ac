#pragma once

#include "core/compression/compressionreport.h"
#include "core/util/result.h"
#include "estimators/results/layerresult.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace cdx {

/// FPGA resources against the device.
struct FpgaUsage {
    std::string device;
    FpgaResources used;
    FpgaResources available;
    std::vector<std::pair<std::string, FpgaResources>> breakdown;
};

/// The estimate of a whole network on a design (README, "Whole-network estimates").
struct NetworkResult {
    std::string project;
    std::string network;
    std::string templateName;
    std::string preset;
    std::string design;     ///< the design's one-line description
    std::string platform;   ///< the platform's
    bool fpga = false;
    bool pipelined = false;
    double clockHz = 0;

    std::vector<LayerResult> layers;

    Dim macs = 0;
    Dim effectiveMacs = 0;
    Dim cycles = 0;
    double latencyS = 0;
    double intervalS = 0;   ///< time between inferences (the slowest stage when pipelined)
    double energyPj = 0;
    std::vector<std::pair<std::string, double>> energyBreakdownPj;
    /// Energy outside the MAC layers' arrays, by operator: "output stage" for the operators fused
    /// into MAC layers, and each kind of standalone layer ("max_pool", "sigmoid", "mul", ...).
    std::vector<std::pair<std::string, double>> nonMacEnergyPj;
    double staticPowerW = 0;
    double powerW = 0;      ///< the energy over the latency: the chip's and its DRAM accesses'
    double corePowerW = 0;  ///< the chip alone: powerW without the DRAM accesses
    double physicalPowerW = 0;  ///< of corePowerW: the physical model's clock tree, control and NoC
    /// corePowerW by the physical model's parts: "components" (the templates' dynamic energy
    /// and leakage), "static" (FPGA), "clock tree", "control and NoC".
    std::vector<std::pair<std::string, double>> corePowerBreakdownW;
    double opsPerS = 0;
    double effectiveOpsPerS = 0;
    double peakOpsPerS = 0;
    double dramBytesPerS = 0;   ///< off-chip bandwidth of the platform (0 when the template has none)
    double utilization = 0;
    double topsPerW = 0;
    double areaMm2 = 0;
    std::vector<AreaItem> areaBreakdown;
    FpgaUsage fpgaUsage;
    double accuracyDropPp = 0;       ///< the compression's accuracy drop, percentage points
    std::string accuracySource;      ///< "proxy", "table", "table+proxy", or "measured" (applyMeasuredAccuracy)
    std::string accuracyMetric;      ///< measured only: "top1", "top5", "agreement", "sqnr"
    std::int64_t accuracySamples = 0;  ///< measured only: examples evaluated
    double accuracyFloat = 0;        ///< measured only: the float network's metric
    double weightCompressionRatio = 1;  ///< 32-bit dense weights over the stored weight bits
    std::vector<LayerCompressionReport> compression;  ///< each layer's resolved setting and its analysis
    std::vector<std::string> warnings;
};

/// What an area item is built of, for the physical breakdown (totals.physical_area_mm2 and the
/// studio's area chart): "datapath and logic", "SRAM arrays", "registers", "SRAM periphery", or
/// the physical model's own item ("placement (cell utilisation)", "control and NoC").
std::string physicalAreaGroup(const AreaItem& item);
/// The area items summed by physicalAreaGroup, in the order each group first appears.
std::vector<std::pair<std::string, double>> physicalAreaBreakdown(const std::vector<AreaItem>& items);

/// The "cdx-result" JSON (README, "Whole-network estimates").
nlohmann::ordered_json networkResultJson(const NetworkResult& result, bool withMappings);
/// Reads the "cdx-result" JSON back (the compression analyses stay behind). A file of another
/// format or version is bad input that says which.
Result<NetworkResult> networkResultFromJson(const nlohmann::json& json, const std::string& file);
/// One row per layer: name, kind, unit, MACs, cycles, latency, energy, utilization, bound.
std::string networkResultCsv(const NetworkResult& result);

}  // namespace cdx
