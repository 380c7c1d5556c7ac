#pragma once

#include "core/network/shape.h"
#include "core/util/result.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cdx {

/// A DSP slice: its multiplier widths and how many INT8 products it packs.
struct DspKind {
    std::string name;
    int aBits = 0;
    int bBits = 0;
    int accumulatorBits = 0;
    int int8PerDsp = 1;
    int multipliersPerBlock = 1;  ///< Intel variable-precision blocks hold two 18x19 multipliers
};

/// A block memory with its depth x width configurations.
struct MemoryKind {
    std::string name;
    Dim bits = 0;
    std::vector<std::pair<Dim, int>> aspects;  ///< (depth, width) it can be configured as
};

struct FpgaDevice {
    std::string name;
    std::string family;
    std::string vendor;
    std::string status;  ///< how sure the totals are (checked against the vendor tables or not)
    Dim lut = 0;
    Dim ff = 0;
    Dim bram18 = 0;  ///< Xilinx 18 Kb blocks (two make a BRAM36)
    Dim m20k = 0;    ///< Intel 20 Kb blocks
    Dim uram = 0;
    Dim dsp = 0;
    std::string dspKind;
    double staticW = 0;        ///< device static power at a fanless board's temperature
    std::string staticSource;

    const char* blockMemoryKind() const { return m20k > 0 ? "m20k" : "bram18"; }
};

/// Dynamic energy of a family's resources per active cycle (1 pJ/cycle = 1 uW/MHz), and the
/// power of what runs whatever the design does (FIGURES: Vivado reports, see fpga.json).
struct FpgaFamilyPower {
    double lutFj = 0;         ///< a logic LUT, per cycle at the tools' default activity
    double netFj = 0;         ///< a routed net (about one per LUT and per FF)
    double ffClockFj = 0;     ///< the clock tree per flip-flop, every cycle
    double lutramPj = 0;      ///< a LUT used as RAM, per access
    double dspMacPj = 0;      ///< a DSP slice per multiply-accumulate on random data
    double bram36AccessPj = 0;
    double uramAccessPj = 0;
    double processingSystemW = 0;  ///< the SoC's ARM cores and DDR controller
    double clockManagerW = 0;      ///< one MMCM/PLL
    std::string status;
};

/// Resource use against a device, as tools report it.
struct FpgaUtilisationCaps {
    double lut = 1, ff = 1, bram = 1, uram = 1, dsp = 1;
};

/// The FPGA tables (resources/tech/fpga.json with the "fpga" part of a project's overrides).
struct FpgaLibrary {
    std::map<std::string, DspKind> dspKinds;
    std::map<std::string, MemoryKind> memoryKinds;
    std::map<std::string, FpgaDevice> devices;
    int unitFixedLuts = 0;
    int lutThresholdBits = 0;  ///< multiplies narrower than this go to LUTs (hls4ml's rule)
    FpgaUtilisationCaps caps;
    std::map<std::string, FpgaFamilyPower> power;  ///< by device family
    std::string powerSource;

    /// The power coefficients of a device's family.
    const FpgaFamilyPower& familyPower(const FpgaDevice& device) const;

    /// The device, or an error that lists the known ones and suggests the closest.
    Result<FpgaDevice> device(const std::string& name) const;

    static Result<FpgaLibrary> load(const nlohmann::json& overrides);
    static Result<FpgaLibrary> load();
};

// ---- resource rules (FINN-R, Blott et al., ACM TRETS 2018; Xilinx UG953, UG573) ----

/// LUTs of one W x A bit multiply built from LUTs (FINN-R): (2 ceil((W+A)/6) - 1)(W+A).
Dim lutsPerMultiply(int weightBits, int activationBits);
/// LUTs of an adder tree summing `inputs` products of W + A bits (FINN-R): (W+A)(2Q - 1).
Dim lutsPerAdderTree(int weightBits, int activationBits, Dim inputs);
/// DSP slices for `multiplies` parallel W x A multiplies; INT8 ones pack when they share an operand.
Dim dspsForMultiplies(const DspKind& dsp, int weightBits, int activationBits, Dim multiplies, bool sharedOperand);
/// Blocks of a memory kind holding depth x width bits (FINN): the best of
/// ceil(depth / aspect depth) * ceil(width / aspect width) over the kind's aspects.
Dim memoryBlocks(const MemoryKind& kind, Dim depth, Dim widthBits);

}  // namespace cdx
