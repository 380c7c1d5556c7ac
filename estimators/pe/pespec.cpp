#include "estimators/pe/pespec.h"

#include <algorithm>

namespace cdx {

namespace {

Dim ceilDiv(Dim a, Dim b)
{
    return (a + b - 1) / b;
}

}  // namespace

const char* peModeName(PeMode mode)
{
    switch (mode) {
    case PeMode::DenseSpatial: return "dense spatial";
    case PeMode::DenseTemporal: return "dense temporal";
    case PeMode::Sparse: return "sparse";
    case PeMode::BitSerial: return "bit-serial";
    }
    return "?";
}

int peModeCode(PeMode mode)
{
    switch (mode) {
    case PeMode::DenseSpatial: return 0;
    case PeMode::DenseTemporal: return 1;
    case PeMode::Sparse: return 2;
    case PeMode::BitSerial: return 3;
    }
    return 0;
}

PeCycles predictPeCycles(const PeSpec& pe, const PeWork& work)
{
    PeCycles c;
    const Dim lanes = std::max(1, pe.lanes);
    if (work.outputs <= 0)
        return c;
    switch (pe.mode) {
    case PeMode::DenseSpatial:
        c.beats = work.outputs * std::max<Dim>(1, ceilDiv(work.reduction, lanes));
        break;
    case PeMode::DenseTemporal:
        c.beats = ceilDiv(work.outputs, lanes) * std::max<Dim>(1, work.reduction);
        break;
    case PeMode::Sparse:
        c.load = ceilDiv(work.reduction, lanes);
        for (Dim i = 0; i < work.outputs; ++i) {
            const Dim nnz = i < static_cast<Dim>(work.nonzeros.size()) ? work.nonzeros[static_cast<std::size_t>(i)] : work.reduction;
            c.beats += std::max<Dim>(1, ceilDiv(nnz, lanes));
        }
        break;
    case PeMode::BitSerial:
        c.beats = work.outputs * std::max<Dim>(1, ceilDiv(work.reduction, lanes))
            * ceilDiv(pe.weightBits, std::max(1, pe.serialBits));
        break;
    }
    c.pipeline = kPePipelineDepth;
    return c;
}

std::string checkPeSpec(const PeSpec& pe)
{
    const PeLimits& limits = kPeLimits;
    auto outside = [](int v, int lo, int hi) { return v < lo || v > hi; };
    std::string reason;
    auto complain = [&reason](const char* what, int v, int lo, int hi) {
        reason = what;
        reason.append(" ").append(std::to_string(v)).append(" is outside ");
        reason.append(std::to_string(lo)).append("..").append(std::to_string(hi));
    };
    constexpr int operand = PeLimits::minOperandBits;
    constexpr int sign = PeLimits::minSignedBits;
    if (outside(pe.lanes, 1, limits.lanes))
        complain("lanes", pe.lanes, 1, limits.lanes);
    else if (outside(pe.weightBits, operand, limits.dataBits))
        complain("weight bits", pe.weightBits, operand, limits.dataBits);
    else if (outside(pe.activationBits, operand, limits.dataBits))
        complain("activation bits", pe.activationBits, operand, limits.dataBits);
    else if (outside(pe.accumulatorBits, sign, limits.accumulatorBits))
        complain("accumulator bits", pe.accumulatorBits, sign, limits.accumulatorBits);
    else if (outside(pe.outputBits, sign, limits.outputBits))
        complain("output bits", pe.outputBits, sign, limits.outputBits);
    else if (outside(pe.shift, 0, limits.shift))
        complain("shift", pe.shift, 0, limits.shift);
    else if (pe.mode == PeMode::BitSerial && outside(pe.serialBits, operand, limits.serialBits))
        complain("serial bits", pe.serialBits, operand, limits.serialBits);
    return reason;
}

}  // namespace cdx
