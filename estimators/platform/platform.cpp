#include "estimators/platform/platform.h"

#include "estimators/tech/techscaling.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace cdx {

namespace {

Dim ceilDiv(Dim a, Dim b) { return b <= 1 ? a : (a + b - 1) / b; }

std::string number(double x)
{
    std::ostringstream out;
    out << x;
    return out.str();
}

}  // namespace

Result<Platform> Platform::create(const PlatformSpec& spec, std::shared_ptr<const TechLibrary> tech,
                                  std::shared_ptr<const FpgaLibrary> fpga)
{
    Platform p;
    p.spec_ = spec;
    p.tech_ = std::move(tech);
    p.fpga_ = std::move(fpga);
    if (spec.kind == PlatformKind::Asic) {
        const double vdd = spec.vdd.value_or(nominalVdd(*p.tech_, spec.nodeNm));
        // A node outside the tables is the node's fault whatever the voltage; a voltage outside
        // the node's fit is the voltage's when one is given (a preset's counts), else the node's.
        const bool nodeKnown = spec.nodeNm >= kMinNodeNm && spec.nodeNm <= kMaxNodeNm;
        if (const auto problem = checkNodeAndVdd(*p.tech_, spec.nodeNm, vdd))
            return Error{ExitCode::BadInput, {}, nodeKnown && spec.vdd ? "/platform/vdd" : "/platform/node_nm", *problem};
        p.asic_.emplace(p.tech_, spec.nodeNm, vdd);
    } else {
        auto device = p.fpga_->device(spec.device);
        if (!device) {
            Error error = device.error();
            error.location = "/platform/device";
            return error;
        }
        p.device_ = device.value();
    }
    const AsicTechnology base(p.tech_, p.tech_->baseNodeNm, p.tech_->baseVdd);
    const auto perBit = base.dramEnergyPjPerBit(spec.dram);
    if (!perBit) {
        std::string known;
        for (const auto& [name, pj] : p.tech_->dramPjPerBit)
            known += (known.empty() ? "" : ", ") + name;
        return Error{ExitCode::BadInput, {}, "/platform/dram", "unknown DRAM type \"" + spec.dram + "\" (one of " + known + ")"};
    }
    p.dramPjPerBit_ = *perBit;
    return p;
}

std::string Platform::describe() const
{
    std::ostringstream out;
    if (isFpga())
        out << "FPGA " << device_->name << " (" << device_->family << "), " << number(spec_.clockMhz) << " MHz";
    else
        out << "ASIC " << number(spec_.nodeNm) << " nm, " << number(std::round(asic_->vdd() * 100) / 100) << " V, "
            << number(spec_.clockMhz) << " MHz";
    out << ", " << spec_.dram;
    return out.str();
}

AreaItem areaItem(const std::string& name, const ComponentCost& cost, double count)
{
    return {name, cost.areaUm2 * count * 1e-6, cost.kind, cost.kind == AreaKind::Sram ? count : 0, cost.bits * count};
}

ComponentCost Platform::memory(MemoryStyle style, Dim depthWords, int wordBits, int blockWords) const
{
    const int block = std::max(1, blockWords);
    const Dim entries = std::max<Dim>(1, ceilDiv(std::max<Dim>(depthWords, 1), block));
    const int width = std::max(1, wordBits * block);
    const Dim bits = entries * width;
    ComponentCost c;
    c.kind = style == MemoryStyle::Sram ? AreaKind::Sram : AreaKind::Registers;
    c.bits = static_cast<double>(bits);
    if (!isFpga()) {
        const AsicTechnology& t = *asic_;
        const double pjPerCyclePerUw = cycleSeconds() * 1e6;
        switch (style) {
        case MemoryStyle::Sram: {
            const MemoryCost m = t.sram(entries, width);
            c.readPj = m.readPj;
            c.writePj = m.writePj;
            c.leakPj = m.leakageUw * pjPerCyclePerUw;
            c.areaUm2 = m.areaUm2;
            c.source = "SRAM " + std::to_string(entries) + "x" + std::to_string(width) + " (CACTI fit)";
            break;
        }
        case MemoryStyle::RegisterFile: {
            const int n = static_cast<int>(std::min<Dim>(entries, 1 << 16));
            c.readPj = t.muxEnergyPj(width, n);
            c.writePj = t.registerEnergyPj(width);
            c.leakPj = t.registerEnergyPj(static_cast<int>(std::min<Dim>(bits, 1 << 24))) * t.logicLeakageFraction();
            c.areaUm2 = t.registerAreaUm2(static_cast<int>(std::min<Dim>(bits, 1 << 24))) + t.muxAreaUm2(width, n);
            c.source = "register file " + std::to_string(entries) + "x" + std::to_string(width) + " (flip-flops, read multiplexer)";
            break;
        }
        case MemoryStyle::Registers: {
            c.readPj = t.registerEnergyPj(width);
            c.writePj = c.readPj;
            c.leakPj = t.registerEnergyPj(static_cast<int>(std::min<Dim>(bits, 1 << 24))) * t.logicLeakageFraction();
            c.areaUm2 = t.registerAreaUm2(static_cast<int>(std::min<Dim>(bits, 1 << 24)));
            c.source = "registers " + std::to_string(bits) + " bits";
            break;
        }
        }
        return c;
    }
    const FpgaFamilyPower& power = fpga_->familyPower(*device_);
    switch (style) {
    case MemoryStyle::Sram: {
        // URAM for big arrays when the device has it and it packs the array at least as well
        // as block RAM (URAM is 72 bits wide only), else block RAM (FINN's aspect rule).
        const MemoryKind& bram = fpga_->memoryKinds.at(device_->blockMemoryKind());
        bool useUram = device_->uram > 0 && bits >= 4 * 36864;
        if (useUram) {
            const MemoryKind& uram = fpga_->memoryKinds.at("uram");
            useUram = memoryBlocks(uram, ceilDiv(entries, std::max<Dim>(1, 72 / width)), width * std::max<Dim>(1, 72 / width)) * uram.bits <=
                      memoryBlocks(bram, entries, width) * bram.bits;
        }
        if (useUram) {
            // Narrow words are packed several to a 72-bit line, read once per line.
            const MemoryKind& uram = fpga_->memoryKinds.at("uram");
            const Dim perLine = std::max<Dim>(1, 72 / width);
            const Dim blocks = memoryBlocks(uram, ceilDiv(entries, perLine), width * perLine);
            const Dim across = ceilDiv(width, 72);
            c.fpga.uram = static_cast<double>(blocks);
            c.readPj = c.writePj = static_cast<double>(std::min(blocks, across)) * power.uramAccessPj;
            c.source = "URAM x" + std::to_string(blocks) + " (" + std::to_string(entries) + "x" + std::to_string(width) + ")";
        } else {
            const Dim blocks18 = memoryBlocks(bram, entries, width);
            const Dim across = ceilDiv(width, 36);  // blocks read in parallel for one word (36-bit wide BRAM18 ports)
            c.fpga.bram36 = static_cast<double>(blocks18) / 2.0;
            c.readPj = c.writePj = static_cast<double>(std::max<Dim>(1, std::min(blocks18, across))) * power.bram36AccessPj / 2.0;
            c.source = std::string(device_->blockMemoryKind()) + " x" + std::to_string(blocks18) + " (" + std::to_string(entries) + "x" +
                       std::to_string(width) + ")";
        }
        break;
    }
    case MemoryStyle::RegisterFile: {
        const Dim luts = ceilDiv(bits, 64);  // a 6-input LUT is 64 x 1 bits of RAM
        c.fpga.lut = static_cast<double>(luts);
        c.fpga.ff = width;
        c.readPj = c.writePj = width * power.lutramPj;  // one 64 x 1 LUT RAM per bit of the word
        c.source = "LUT RAM " + std::to_string(luts) + " LUTs (" + std::to_string(entries) + "x" + std::to_string(width) + ")";
        break;
    }
    case MemoryStyle::Registers:
        c.fpga.ff = static_cast<double>(bits);
        c.readPj = c.writePj = width * power.netFj * 1e-3;
        c.source = "flip-flops " + std::to_string(bits);
        break;
    }
    return c;
}

ComponentCost Platform::dramAccess(int widthBits) const
{
    ComponentCost c;
    c.readPj = c.writePj = dramPjPerBit_ * widthBits;
    c.source = spec_.dram + " " + number(dramPjPerBit_) + " pJ/bit x " + std::to_string(widthBits) + " bits";
    return c;
}

ComponentCost Platform::mac(NumberFormat format, int weightBits, int activationBits, int accumulatorBits, bool inLuts) const
{
    ComponentCost c;
    const int acc = accumulatorBits > 0 ? accumulatorBits : weightBits + activationBits + 8;
    if (!isFpga()) {
        c.readPj = asic_->macEnergyPj(format, weightBits, activationBits, acc);
        c.writePj = c.readPj;
        c.areaUm2 = asic_->macAreaUm2(format, weightBits, activationBits, acc);
        c.leakPj = c.readPj * asic_->logicLeakageFraction();
        c.source = std::string(numberFormatName(format)) + " " + std::to_string(weightBits) + "x" + std::to_string(activationBits) +
                   " MAC, " + std::to_string(acc) + "-bit accumulator";
        return c;
    }
    const FpgaFamilyPower& power = fpga_->familyPower(*device_);
    const double logicPj = (power.lutFj + power.netFj) * 1e-3;
    const DspKind& dsp = fpga_->dspKinds.at(device_->dspKind);
    const bool fits = weightBits <= dsp.aBits && activationBits <= dsp.bBits;
    if (inLuts || !fits || isFloatingPoint(format)) {
        // FINN-R: the multiplier and the accumulator's adder in LUTs.
        const Dim luts = lutsPerMultiply(weightBits, activationBits) + acc;
        c.fpga.lut = static_cast<double>(luts);
        c.fpga.ff = acc;
        c.readPj = c.writePj = static_cast<double>(luts) * logicPj * (0.38 / 0.125);
        c.source = "LUT multiplier (" + std::to_string(luts) + " LUTs, FINN-R)";
        if (isFloatingPoint(format))
            c.source += "; floating point costed as its significand in LUTs";
        return c;
    }
    c.fpga.dsp = 1;
    c.readPj = c.writePj = power.dspMacPj;
    c.source = dsp.name + " MAC";
    return c;
}

ComponentCost Platform::vectorOp(int bits) const
{
    ComponentCost c;
    if (!isFpga()) {
        c.readPj = c.writePj = asic_->addEnergyPj(NumberFormat::Int, bits);
        c.areaUm2 = asic_->addAreaUm2(NumberFormat::Int, bits) + asic_->registerAreaUm2(bits);
        c.source = std::to_string(bits) + "-bit ALU op";
        return c;
    }
    const FpgaFamilyPower& power = fpga_->familyPower(*device_);
    c.fpga.lut = 2.0 * bits;
    c.fpga.ff = bits;
    c.readPj = c.writePj = 2.0 * bits * (power.lutFj + power.netFj) * 1e-3 * (0.38 / 0.125);
    c.source = std::to_string(bits) + "-bit LUT ALU op";
    return c;
}

double Platform::staticPowerW() const
{
    if (!isFpga())
        return 0;
    const FpgaFamilyPower& power = fpga_->familyPower(*device_);
    return device_->staticW + power.processingSystemW + power.clockManagerW;
}

double Platform::clockTreePowerW(double flipFlops) const
{
    if (!isFpga())
        return 0;
    return flipFlops * fpga_->familyPower(*device_).ffClockFj * 1e-15 * clockHz();
}

double Platform::dramBandwidth(double fallbackGBs) const
{
    return spec_.dramBandwidthGBs.value_or(fallbackGBs) * 1e9;
}

}  // namespace cdx
