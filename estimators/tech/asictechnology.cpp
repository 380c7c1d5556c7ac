#include "estimators/tech/asictechnology.h"

#include "estimators/tech/techscaling.h"

#include <cmath>

namespace cdx {

AsicTechnology::AsicTechnology(std::shared_ptr<const TechLibrary> library, double nodeNm, double vdd)
    : library_(std::move(library)),
      nodeNm_(nodeNm),
      vdd_(vdd),
      energyScale_(cdx::energyScale(*library_, nodeNm, vdd)),
      areaScale_(cdx::areaScale(*library_, nodeNm))
{
}

double AsicTechnology::addEnergyPj(NumberFormat format, int bits) const
{
    const auto& lib = *library_;
    const double e = isFloatingPoint(format) ? lib.fpAdd.energyAt(significandBits(format)) : lib.intAdd.energyAt(std::max(bits, 1));
    return e * energyScale_;
}

double AsicTechnology::addAreaUm2(NumberFormat format, int bits) const
{
    const auto& lib = *library_;
    const double a = isFloatingPoint(format) ? lib.fpAdd.areaAt(significandBits(format)) : lib.intAdd.areaAt(std::max(bits, 1));
    return a * areaScale_;
}

namespace {

/// The equivalent square width of a weight x activation integer multiply.
double squareWidth(int weightBits, int activationBits)
{
    return std::sqrt(static_cast<double>(std::max(weightBits, 1)) * std::max(activationBits, 1));
}

}  // namespace

double AsicTechnology::multiplyEnergyPj(NumberFormat format, int weightBits, int activationBits) const
{
    const auto& lib = *library_;
    double e = 0;
    if (isFloatingPoint(format))
        e = lib.fpMult.energyAt(significandBits(format));
    else if (format == NumberFormat::Log2)
        e = lib.intAdd.energyAt(std::max(activationBits, 1));  // a shifter's cost, an adder's order
    else if (format == NumberFormat::Binary)
        e = lib.intMult.energyAt(1);
    else
        e = lib.intMult.energyAt(squareWidth(weightBits, activationBits));
    return e * energyScale_;
}

double AsicTechnology::multiplyAreaUm2(NumberFormat format, int weightBits, int activationBits) const
{
    const auto& lib = *library_;
    double a = 0;
    if (isFloatingPoint(format))
        a = lib.fpMult.areaAt(significandBits(format));
    else if (format == NumberFormat::Log2)
        a = lib.intAdd.areaAt(std::max(activationBits, 1));
    else if (format == NumberFormat::Binary)
        a = lib.intMult.areaAt(1);
    else
        a = lib.intMult.areaAt(squareWidth(weightBits, activationBits));
    return a * areaScale_;
}

double AsicTechnology::macEnergyPj(NumberFormat format, int weightBits, int activationBits, int accumulatorBits) const
{
    const NumberFormat accumulate = isFloatingPoint(format) ? format : NumberFormat::Int;
    return multiplyEnergyPj(format, weightBits, activationBits) + addEnergyPj(accumulate, accumulatorBits);
}

double AsicTechnology::macAreaUm2(NumberFormat format, int weightBits, int activationBits, int accumulatorBits) const
{
    const NumberFormat accumulate = isFloatingPoint(format) ? format : NumberFormat::Int;
    return multiplyAreaUm2(format, weightBits, activationBits) + addAreaUm2(accumulate, accumulatorBits);
}

double AsicTechnology::registerEnergyPj(int bits) const { return library_->registerBitPj * bits * energyScale_; }
double AsicTechnology::registerAreaUm2(int bits) const { return library_->registerBitUm2 * bits * areaScale_; }
double AsicTechnology::comparatorEnergyPj(int bits) const { return library_->comparator32Pj * bits / 32.0 * energyScale_; }
double AsicTechnology::comparatorAreaUm2(int bits) const { return library_->comparator32Um2 * bits / 32.0 * areaScale_; }

double AsicTechnology::muxEnergyPj(int bits, int inputs) const
{
    return library_->mux2BitPj * bits * std::max(inputs - 1, 0) * energyScale_;
}

double AsicTechnology::muxAreaUm2(int bits, int inputs) const
{
    return library_->mux2BitUm2 * bits * std::max(inputs - 1, 0) * areaScale_;
}

double AsicTechnology::sramNodeFactor(const SramEnergyFit& fit) const
{
    // Inside the CACTI nodes: interpolate their factors. Outside: carry the nearest one with
    // the logic scaling between the nodes, at each node's nominal voltage.
    const auto& table = fit.nodeFactors;
    const int smallest = table.begin()->first;
    const int largest = table.rbegin()->first;
    const auto& lib = *library_;
    if (nodeNm_ >= smallest && nodeNm_ <= largest)
        return interpolateNodeTable(table, nodeNm_);
    const int ref = nodeNm_ < smallest ? smallest : largest;
    return table.at(ref) * cdx::energyScale(lib, nodeNm_, nominalVdd(lib, nodeNm_)) /
           cdx::energyScale(lib, ref, nominalVdd(lib, ref));
}

MemoryCost AsicTechnology::sram(Dim depth, int widthBits) const
{
    const auto& lib = *library_;
    const double d = static_cast<double>(std::max<Dim>(depth, 1));
    const double w = std::max(widthBits, 1);
    // CACTI's table is at each node's nominal voltage; other voltages follow the logic fit.
    const double voltage = cdx::energyScale(lib, nodeNm_, vdd_) / cdx::energyScale(lib, nodeNm_, nominalVdd(lib, nodeNm_));
    MemoryCost c;
    c.readPj = lib.sramRead.at45nmPj(d, w) * sramNodeFactor(lib.sramRead) * voltage;
    c.writePj = lib.sramWrite.at45nmPj(d, w) * sramNodeFactor(lib.sramWrite) * voltage;
    const double bits = d * w;
    c.areaUm2 = (lib.sramAreaPerBitUm2 * bits + lib.sramAreaFixedUm2) * areaScale_;
    // Leakage per bit does not shrink with the node (CACTI: the same 1 Mbit array leaks 5.35 uW
    // at 45 nm and 5.65 uW at 32 nm); it follows the supply voltage.
    c.leakageUw = (lib.sramLeakagePerBitUw * bits + lib.sramLeakageFixedUw) * (vdd_ / nominalVdd(lib, nodeNm_));
    return c;
}

std::optional<double> AsicTechnology::dramEnergyPjPerBit(const std::string& type) const
{
    auto it = library_->dramPjPerBit.find(type);
    if (it == library_->dramPjPerBit.end())
        return std::nullopt;
    return it->second;
}

double AsicTechnology::wireEnergyPjPerBitMm() const
{
    // Log-linear in the node between the table's points, flat outside.
    const auto& table = library_->wireFjPerBitMm;
    const auto small = table.begin();
    const auto large = std::prev(table.end());
    if (nodeNm_ <= small->first)
        return small->second / 1000.0;
    if (nodeNm_ >= large->first)
        return large->second / 1000.0;
    const double t = std::log(nodeNm_ / small->first) / std::log(static_cast<double>(large->first) / small->first);
    return std::exp(std::log(small->second) * (1 - t) + std::log(large->second) * t) / 1000.0;
}

}  // namespace cdx
