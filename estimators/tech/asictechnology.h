#pragma once

#include "core/compression/numberformat.h"
#include "core/network/shape.h"
#include "estimators/tech/techlibrary.h"

#include <memory>
#include <string>

namespace cdx {

/// Energy per access, area and leakage of one memory array.
struct MemoryCost {
    double readPj = 0;
    double writePj = 0;
    double areaUm2 = 0;
    double leakageUw = 0;
};

/// Costs of hardware primitives at one node and supply voltage, from the technology tables.
/// Every method names what it models; none is a fudge factor.
class AsicTechnology {
public:
    AsicTechnology(std::shared_ptr<const TechLibrary> library, double nodeNm, double vdd);

    const TechLibrary& library() const { return *library_; }
    double nodeNm() const { return nodeNm_; }
    double vdd() const { return vdd_; }
    double energyScale() const { return energyScale_; }
    double areaScale() const { return areaScale_; }

    /// An adder of `bits` (integer or fixed formats) or of the format's significand (floating point).
    double addEnergyPj(NumberFormat format, int bits) const;
    double addAreaUm2(NumberFormat format, int bits) const;
    /// A multiplier of a weightBits x activationBits product. Integers cost as a square
    /// multiplier of the geometric mean width; log2 weights make it a shift (an adder's cost);
    /// binary weights an XNOR (a 1-bit multiply); floating point by significand width.
    double multiplyEnergyPj(NumberFormat format, int weightBits, int activationBits) const;
    double multiplyAreaUm2(NumberFormat format, int weightBits, int activationBits) const;
    /// A multiply and an accumulate of `accumulatorBits`.
    double macEnergyPj(NumberFormat format, int weightBits, int activationBits, int accumulatorBits) const;
    double macAreaUm2(NumberFormat format, int weightBits, int activationBits, int accumulatorBits) const;

    double registerEnergyPj(int bits) const;
    double registerAreaUm2(int bits) const;
    double comparatorEnergyPj(int bits) const;
    double comparatorAreaUm2(int bits) const;
    /// An n-input multiplexer of `bits`, as a tree of 2:1 multiplexers.
    double muxEnergyPj(int bits, int inputs) const;
    double muxAreaUm2(int bits, int inputs) const;

    /// An SRAM of depth x width bits: the CACTI fit, scaled to this node and voltage.
    MemoryCost sram(Dim depth, int widthBits) const;
    /// Energy per bit of a DRAM type (independent of the node); nothing if unknown.
    std::optional<double> dramEnergyPjPerBit(const std::string& type) const;
    /// On-chip wire energy per bit and millimetre at this node.
    double wireEnergyPjPerBitMm() const;
    /// Leakage energy per cycle of a unit as a fraction of its dynamic energy per operation.
    double logicLeakageFraction() const { return library_->logicLeakageFraction; }

private:
    double sramNodeFactor(const SramEnergyFit& fit) const;

    std::shared_ptr<const TechLibrary> library_;
    double nodeNm_;
    double vdd_;
    double energyScale_;
    double areaScale_;
};

}  // namespace cdx
