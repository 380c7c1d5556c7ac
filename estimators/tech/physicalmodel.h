#pragma once

#include "estimators/results/layerresult.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cdx {

/// What a chip adds to the components the templates cost (datapath, SRAM arrays, registers):
/// the factors of the physical model, at 45 nm and 0.9 V, scaled to a node like the primitives.
///
///   core area  = SRAM arrays + sramMacroUm2 x macros
///              + (logic + registers) / placementUtilisation
///              + controlUm2PerMac x MACs
///   core power = the components' dynamic energy and leakage over the run
///              + clockFjPerBit x clocked register bits x clock
///              + controlFjPerMac x MACs x clock
///
/// The placement utilisation is a cited constant; the other four are fitted (fitPhysicalFactors)
/// on published chips and shipped in resources/tech/asic.json with the fit's provenance.
struct PhysicalFactors {
    double placementUtilisation = 0.7;  ///< standard-cell area over placed area
    double sramMacroUm2 = 0;            ///< periphery, routing and spacing of each SRAM macro
    double controlUm2PerMac = 0;        ///< control, operand delivery and the on-chip network, per MAC
    double clockFjPerBit = 0;           ///< the clock tree, per clocked register bit per cycle
    double controlFjPerMac = 0;         ///< control and network switching, per MAC per cycle
    std::string source;

    nlohmann::ordered_json toJson() const;
    /// Reads the "physical" section of the technology tables; a missing key keeps its default.
    static PhysicalFactors fromJson(const nlohmann::json& j, const PhysicalFactors& defaults);
};

/// A design on an ASIC as the physical model sees it.
struct PhysicalDesign {
    std::vector<AreaItem> components;  ///< the template's area items
    double macs = 0;                   ///< multipliers (the peak MACs per cycle)
    double areaScale = 1;              ///< the node's area relative to 45 nm
    double energyScale = 1;            ///< the node's and Vdd's energy relative to 45 nm, 0.9 V
    double clockHz = 1e9;

    double componentsMm2() const;  ///< every component, as the templates cost them
    double sramMm2() const;
    double logicMm2() const;  ///< logic and registers as the templates cost them (cells only)
    double sramMacros() const;
    double registerBits() const;
};

/// The model's result: area items to add to the components' (mm2) and the power it adds (W).
struct PhysicalOverhead {
    std::vector<AreaItem> area;                          ///< kind Overhead
    std::vector<std::pair<std::string, double>> powerW;  ///< "clock tree", "control and NoC"
    double areaMm2() const;
    double powerTotalW() const;
};

PhysicalOverhead physicalOverhead(const PhysicalDesign& design, const PhysicalFactors& factors);

/// A published chip as a calibration point: the design as cdx builds it, the components'
/// power on the chip's workload (dynamic and leakage, DRAM excluded), and the published core
/// area and power (0 when not published or not confirmed).
struct CalibrationChip {
    std::string name;
    PhysicalDesign design;
    double componentPowerW = 0;
    double publishedAreaMm2 = 0;
    double publishedPowerW = 0;
};

/// Least squares on the relative errors (Eigen), the four fitted factors kept non-negative:
/// the area factors on the chips with an area, the power factors on those with a power. The
/// placement utilisation is taken from `fixed`.
PhysicalFactors fitPhysicalFactors(const std::vector<CalibrationChip>& chips, const PhysicalFactors& fixed);

/// A chip's core area and power predicted with `factors`.
struct PhysicalPrediction {
    double areaMm2 = 0;
    double powerW = 0;
};
PhysicalPrediction predictChip(const CalibrationChip& chip, const PhysicalFactors& factors);

}  // namespace cdx
