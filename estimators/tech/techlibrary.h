#pragma once

#include "estimators/tech/physicalmodel.h"
#include "core/util/result.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <map>
#include <string>
#include <vector>

namespace cdx {

/// Energy and area of a primitive at the base node, tabulated over a width (bits or
/// significand bits); interpolated log-log between points, extrapolated with the end slopes.
struct CostCurve {
    std::vector<double> x;
    std::vector<double> energyPj;
    std::vector<double> areaUm2;

    double energyAt(double bits) const;
    double areaAt(double bits) const;
};

/// E(depth, width) = coefficient * depth^depthExponent * width^widthExponent + perBitPj * width,
/// at 45 nm, times a node factor fitted to CACTI at 32, 45 and 65 nm.
struct SramEnergyFit {
    double coefficient = 0;
    double depthExponent = 0;
    double widthExponent = 0;
    double perBitPj = 0;
    std::map<int, double> nodeFactors;

    double at45nmPj(double depth, double widthBits) const;
};

/// The ASIC technology tables (resources/tech/asic.json with a project's overrides): the
/// numbers behind every energy and area the ASIC estimates use.
struct TechLibrary {
    std::string description;
    int baseNodeNm = 45;
    double baseVdd = 0.9;
    std::string baseFit;

    CostCurve intAdd, intMult, fpAdd, fpMult;
    double registerBitPj = 0, registerBitUm2 = 0;
    double comparator32Pj = 0, comparator32Um2 = 0;
    double mux2BitPj = 0, mux2BitUm2 = 0;

    std::map<std::string, std::array<double, 3>> energyFits;  ///< a, b, c of E(V) = aV^2 + bV + c
    std::map<int, std::string> nodeFits;
    std::map<int, double> areaFactors;  ///< relative to 45 nm
    std::map<int, double> nominalVdd;

    SramEnergyFit sramRead, sramWrite;
    double sramAreaPerBitUm2 = 0, sramAreaFixedUm2 = 0;
    double sramLeakagePerBitUw = 0, sramLeakageFixedUw = 0;

    std::map<std::string, double> dramPjPerBit;
    std::map<int, double> wireFjPerBitMm;
    double logicLeakageFraction = 0;
    /// What a chip adds to the components: placement, SRAM periphery, control, clock tree.
    PhysicalFactors physical;

    /// The built-in tables with `overrides` merged in (a JSON merge patch: the same keys as
    /// resources/tech/asic.json). A key the tables do not have is an error that names it.
    static Result<TechLibrary> load(const nlohmann::json& overrides);
    static Result<TechLibrary> load();
};

/// The text of a built-in resource file ("asic.json", "fpga.json"), compiled into the program.
const std::string& embeddedTechResource(const std::string& name);

}  // namespace cdx
