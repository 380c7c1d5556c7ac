#pragma once

#include "core/compression/numberformat.h"
#include "estimators/platform/platformspec.h"
#include "estimators/results/layerresult.h"
#include "estimators/tech/asictechnology.h"
#include "estimators/tech/fpgalibrary.h"

#include <memory>
#include <optional>
#include <string>

namespace cdx {

/// What one building block costs on a platform: energy per action, static energy per cycle,
/// and its area (ASIC) or resources (FPGA), with the table it came from.
struct ComponentCost {
    double readPj = 0;     ///< per access (a block of words) or per operation
    double writePj = 0;
    double leakPj = 0;     ///< per instance per cycle
    double areaUm2 = 0;    ///< per instance (ASIC)
    FpgaResources fpga;    ///< per instance (FPGA)
    std::string source;
    AreaKind kind = AreaKind::Logic;  ///< a memory: an SRAM macro, or registers (flip-flops)
    double bits = 0;                  ///< a memory: the bits it holds
};

/// `count` instances of a component as an area item (mm2), keeping what it is built of.
AreaItem areaItem(const std::string& name, const ComponentCost& cost, double count);

/// How a storage level is built.
enum class MemoryStyle {
    Sram,          ///< an SRAM array (ASIC) or block RAM (FPGA)
    RegisterFile,  ///< flip-flops with a read multiplexer (ASIC) or LUT RAM (FPGA)
    Registers,     ///< a few flip-flops
};

/// An ASIC node or an FPGA device at a clock, with the costs of the building blocks the
/// templates assemble: memories, DRAM accesses, MACs and vector operations.
class Platform {
public:
    static Result<Platform> create(const PlatformSpec& spec, std::shared_ptr<const TechLibrary> tech,
                                   std::shared_ptr<const FpgaLibrary> fpga);

    const PlatformSpec& spec() const { return spec_; }
    bool isFpga() const { return spec_.kind == PlatformKind::Fpga; }
    double clockHz() const { return spec_.clockMhz * 1e6; }
    double cycleSeconds() const { return 1.0 / clockHz(); }
    /// One line: "ASIC 65 nm, 1.0 V, 200 MHz, lpddr4" or "FPGA xc7z020 (Zynq-7000), 214 MHz".
    std::string describe() const;

    const AsicTechnology* asic() const { return asic_ ? &*asic_ : nullptr; }
    const FpgaDevice* device() const { return device_ ? &*device_ : nullptr; }
    const FpgaLibrary& fpgaLibrary() const { return *fpga_; }
    const TechLibrary& techLibrary() const { return *tech_; }

    /// A memory of `depthWords` words of `wordBits`, accessed `blockWords` words at a time.
    ComponentCost memory(MemoryStyle style, Dim depthWords, int wordBits, int blockWords) const;
    /// One DRAM access of `widthBits`.
    ComponentCost dramAccess(int widthBits) const;
    /// One multiply-accumulate (FPGA: in a DSP slice, or in LUTs when `inLuts`).
    ComponentCost mac(NumberFormat format, int weightBits, int activationBits, int accumulatorBits, bool inLuts = false) const;
    /// One element operation of a vector unit (an add, a compare, a function by table).
    ComponentCost vectorOp(int bits) const;
    /// Power drawn whatever runs: FPGA device static power and the processing system (ARM) of
    /// a SoC; 0 for an ASIC, whose components carry their own leakage.
    double staticPowerW() const;
    /// FPGA: the clock tree's power for `flipFlops` flip-flops, paid every cycle.
    double clockTreePowerW(double flipFlops) const;
    /// Off-chip bandwidth in bytes per second: the platform's, else `fallback`.
    double dramBandwidth(double fallbackGBs) const;

private:
    PlatformSpec spec_;
    std::shared_ptr<const TechLibrary> tech_;
    std::shared_ptr<const FpgaLibrary> fpga_;
    std::optional<AsicTechnology> asic_;
    std::optional<FpgaDevice> device_;
    double dramPjPerBit_ = 0;
};

}  // namespace cdx
