#pragma once

#include "core/network/layerkind.h"
#include "core/network/shape.h"

#include <string>
#include <utility>
#include <vector>

namespace cdx {

/// Reads, fills and updates of one operand at one storage level, over all instances.
struct OperandAccesses {
    std::string level;
    std::string operand;
    Dim reads = 0;
    Dim fills = 0;
    Dim updates = 0;
};

/// FPGA resources, possibly fractional while summing (half a BRAM36 is a BRAM18).
struct FpgaResources {
    double lut = 0;
    double ff = 0;
    double dsp = 0;
    double bram36 = 0;
    double uram = 0;

    /// `n` instances of this.
    FpgaResources scaled(double n) const { return {lut * n, ff * n, dsp * n, bram36 * n, uram * n}; }

    FpgaResources& operator+=(const FpgaResources& o)
    {
        lut += o.lut;
        ff += o.ff;
        dsp += o.dsp;
        bram36 += o.bram36;
        uram += o.uram;
        return *this;
    }
};

/// The estimate of one workload (a layer or a part of one) on a design.
struct LayerResult {
    std::string name;
    std::string layer;
    LayerKind kind = LayerKind::Other;
    std::string unit;           ///< "array", "vector", "host", "none"
    Dim macs = 0;               ///< dense, algorithmic
    Dim effectiveMacs = 0;      ///< performed
    Dim cycles = 0;
    double latencyS = 0;
    double energyPj = 0;
    std::vector<std::pair<std::string, double>> energyBreakdownPj;  ///< component -> pJ
    double utilization = 0;     ///< of the array's MACs over the layer's cycles
    std::string bound;          ///< the level or unit that sets the cycles
    std::vector<OperandAccesses> accesses;
    std::string shape;          ///< the workload, one line
    std::string mapping;        ///< loop nest (--show-mapping)
    std::string precision;      ///< for display: "w8 a8", with what the template adds
    int weightBits = 0;         ///< the operands' widths in memory (0: not known, a result read from an older file)
    int activationBits = 0;
    /// The layers this one's output stage applies (name, operator kind), or the layer this one is
    /// fused into (then it costs nothing of its own).
    std::vector<std::pair<std::string, std::string>> fused;
    std::string fusedInto;
    double outputStagePj = 0;   ///< of energyPj: the fused operators and the operands they read
    std::vector<std::string> warnings;
};

/// What a component is built of, for the physical model (estimators/tech/physicalmodel.h):
/// standard-cell logic, SRAM macros, or flip-flops clocked every cycle.
enum class AreaKind { Logic, Sram, Registers, Overhead };

/// Area of a component (ASIC), for the breakdown.
struct AreaItem {
    std::string component;
    double mm2 = 0;
    AreaKind kind = AreaKind::Logic;
    double macros = 0;  ///< SRAM: the number of macros (each has its own periphery)
    double bits = 0;    ///< SRAM and registers: the bits they hold
};

}  // namespace cdx
