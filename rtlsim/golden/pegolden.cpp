#include "rtlsim/golden/pegolden.h"

#include <algorithm>
#include <bit>

namespace cdx {

namespace {

// The golden model sums in 64-bit integers and returns 32-bit results: wrapping at 64 bits, then
// at accumulatorBits, is the PE's wrapping at AW bits, then at accumulatorBits, while AW <= 64.
static_assert(kPeLimits.accumulatorBits <= 64 && kPeLimits.shift <= 63 && kPeLimits.outputBits <= 32 && kPeLimits.dataBits < 32,
              "the golden model's integers are too narrow for the PE's limits (estimators/pe/pelimits.h)");

std::uint32_t lowMask(int bits)
{
    return bits >= 32 ? 0xffffffffu : (1u << bits) - 1u;
}

std::int64_t wrapSum(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

}  // namespace

std::int64_t peOperand(std::int32_t code, int bits, bool isSigned)
{
    const std::uint32_t raw = static_cast<std::uint32_t>(code) & lowMask(bits);
    if (isSigned && ((raw >> (bits - 1)) & 1u))
        return static_cast<std::int64_t>(raw) - (std::int64_t{1} << bits);
    return static_cast<std::int64_t>(raw);
}

std::int32_t peQuantise(const PeSpec& pe, std::int64_t accumulator)
{
    std::int64_t v = accumulator;
    if (pe.accumulatorBits < 64) {
        const int unused = 64 - pe.accumulatorBits;
        v = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) << unused) >> unused;
    }
    if (pe.relu && v < 0)
        v = 0;
    if (pe.round && pe.shift > 0)
        v = wrapSum(v, std::int64_t{1} << (pe.shift - 1));
    v >>= pe.shift;
    const std::int64_t top = (std::int64_t{1} << (pe.outputBits - 1)) - 1;
    const std::int64_t bottom = -(std::int64_t{1} << (pe.outputBits - 1));
    return static_cast<std::int32_t>(std::clamp(v, bottom, top));
}

std::vector<std::int64_t> goldenAccumulators(const PeSpec& pe, const PeTile& tile)
{
    std::vector<std::int64_t> sums;
    sums.reserve(tile.weights.size());
    const bool sparse = pe.mode == PeMode::Sparse;
    for (std::size_t o = 0; o < tile.weights.size(); ++o) {
        std::int64_t sum = 0;
        const auto& w = tile.weights[o];
        for (std::size_t k = 0; k < w.size(); ++k) {
            const std::int32_t a = sparse ? tile.activationVector[tile.indices[o][k]] : tile.activations[o][k];
            const std::int64_t product = peOperand(w[k], pe.weightBits, pe.weightSigned) * peOperand(a, pe.activationBits, pe.activationSigned);
            sum = wrapSum(sum, product);
        }
        sums.push_back(sum);
    }
    return sums;
}

std::vector<std::int32_t> goldenOutputs(const PeSpec& pe, const PeTile& tile)
{
    std::vector<std::int32_t> out;
    for (std::int64_t sum : goldenAccumulators(pe, tile))
        out.push_back(peQuantise(pe, sum));
    return out;
}

PeActivity goldenActivity(const PeSpec& pe, const PeStream& stream)
{
    PeActivity activity;
    const std::uint32_t wMask = lowMask(pe.weightBits);
    const std::uint32_t aMask = lowMask(pe.activationBits);
    std::array<std::uint32_t, kPeMaxLanes> weightReg{};
    std::array<std::uint32_t, kPeMaxLanes> activationReg{};
    const std::uint64_t steps = pe.mode == PeMode::BitSerial
        ? static_cast<std::uint64_t>((pe.weightBits + pe.serialBits - 1) / pe.serialBits) : 1;
    for (const PeBeat& b : stream.beats) {
        for (std::size_t l = 0; l < static_cast<std::size_t>(kPeMaxLanes); ++l) {
            if (!((b.keep >> l) & 1u))
                continue;
            const std::uint32_t w = static_cast<std::uint32_t>(b.weight[l]) & wMask;
            std::uint32_t a = static_cast<std::uint32_t>(b.activation[l]);
            if (pe.mode == PeMode::Sparse)
                a = b.index[l] < stream.activationBuffer.size() ? static_cast<std::uint32_t>(stream.activationBuffer[b.index[l]]) : 0u;
            a &= aMask;
            activity.toggles += static_cast<std::uint64_t>(std::popcount(w ^ weightReg[l]) + std::popcount(a ^ activationReg[l]));
            activity.operandBits += static_cast<std::uint64_t>(pe.weightBits + pe.activationBits);
            weightReg[l] = w;
            activationReg[l] = a;
        }
        activity.products += static_cast<std::uint64_t>(std::popcount(b.keep)) * steps;
    }
    return activity;
}

}  // namespace cdx
