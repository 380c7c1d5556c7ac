// The verilated PE against the golden model and the PE-level cycle model: seeded random
// tiles in every mode, at every operand width from 2 bits to the PE's limit (estimators/pe/pelimits.h).
#include "estimators/pe/pelimits.h"
#include "rtlsim/golden/pegolden.h"
#include "rtlsim/pesimulator.h"
#include "rtlsim/petile.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

using namespace cdx;

namespace {

PeTile randomTile(const PeSpec& pe, Dim outputs, Dim reduction, double density, std::mt19937_64& random)
{
    PeTile t;
    t.reduction = reduction;
    std::uniform_int_distribution<std::int32_t> w(codeMin(pe.weightBits, pe.weightSigned), codeMax(pe.weightBits, pe.weightSigned));
    std::uniform_int_distribution<std::int32_t> a(codeMin(pe.activationBits, pe.activationSigned), codeMax(pe.activationBits, pe.activationSigned));
    std::bernoulli_distribution kept(density);
    if (pe.mode == PeMode::Sparse) {
        t.activationVector.resize(static_cast<std::size_t>(reduction));
        for (auto& v : t.activationVector)
            v = a(random);
        for (Dim o = 0; o < outputs; ++o) {
            std::vector<std::int32_t> values;
            std::vector<std::uint16_t> at;
            for (Dim k = 0; k < reduction; ++k) {
                if (!kept(random))
                    continue;
                values.push_back(w(random));
                at.push_back(static_cast<std::uint16_t>(k));
            }
            t.weights.push_back(values);
            t.indices.push_back(at);
        }
        return t;
    }
    for (Dim o = 0; o < outputs; ++o) {
        std::vector<std::int32_t> ws(static_cast<std::size_t>(reduction));
        std::vector<std::int32_t> as(static_cast<std::size_t>(reduction));
        for (Dim k = 0; k < reduction; ++k) {
            ws[static_cast<std::size_t>(k)] = kept(random) ? w(random) : 0;
            as[static_cast<std::size_t>(k)] = a(random);
        }
        t.weights.push_back(ws);
        t.activations.push_back(as);
    }
    return t;
}

struct Check {
    PeRun run;
    std::vector<std::int32_t> golden;
    PeActivity activity;
    Dim predicted = 0;
};

Check simulate(PeSimulator& sim, const PeSpec& pe, const PeTile& tile, double backpressure = 0)
{
    Check c;
    const PeStream stream = packTile(pe, tile);
    auto run = sim.run(pe, stream, backpressure, 7);
    INFO(peModeName(pe.mode) << " lanes " << pe.lanes << " w" << pe.weightBits << " a" << pe.activationBits);
    REQUIRE(run.ok());
    c.run = run.value();
    c.golden = goldenOutputs(pe, tile);
    c.activity = goldenActivity(pe, stream);
    c.predicted = predictPeCycles(pe, tile.work()).total();
    return c;
}

const PeMode kModes[] = {PeMode::DenseSpatial, PeMode::DenseTemporal, PeMode::Sparse, PeMode::BitSerial};

/// A spec at the upper limit of every setting of the RTL PE (estimators/pe/pelimits.h).
PeSpec specAtUpperLimits(PeMode mode)
{
    PeSpec pe;
    pe.mode = mode;
    pe.lanes = kPeLimits.lanes;
    pe.weightBits = kPeLimits.dataBits;
    pe.activationBits = kPeLimits.dataBits;
    pe.accumulatorBits = kPeLimits.accumulatorBits;
    pe.outputBits = kPeLimits.outputBits;
    pe.shift = kPeLimits.shift;
    pe.serialBits = kPeLimits.serialBits;
    return pe;
}

/// A spec at the lower limit of every setting.
PeSpec specAtLowerLimits(PeMode mode)
{
    PeSpec pe;
    pe.mode = mode;
    pe.lanes = 1;
    pe.weightBits = PeLimits::minOperandBits;
    pe.activationBits = PeLimits::minOperandBits;
    pe.accumulatorBits = PeLimits::minSignedBits;
    pe.outputBits = PeLimits::minSignedBits;
    pe.shift = 0;
    pe.serialBits = PeLimits::minOperandBits;
    return pe;
}

}  // namespace

TEST_CASE("PE limits: checkPeSpec takes every setting at the limits of pelimits.h and refuses one past each", "[rtlsim]")
{
    STATIC_REQUIRE(kPeMaxLanes == kPeLimits.lanes);
    STATIC_REQUIRE(kPeBufferEntries == 1 << kPeLimits.indexBits);
    for (PeMode mode : kModes) {
        INFO(peModeName(mode));
        CHECK(checkPeSpec(specAtUpperLimits(mode)).empty());
        CHECK(checkPeSpec(specAtLowerLimits(mode)).empty());
    }
    struct Limit {
        const char* name;  // as checkPeSpec names the setting
        int PeSpec::*setting;
        int lo;
        int hi;
    };
    const Limit limits[] = {
        {"lanes", &PeSpec::lanes, 1, kPeLimits.lanes},
        {"weight bits", &PeSpec::weightBits, PeLimits::minOperandBits, kPeLimits.dataBits},
        {"activation bits", &PeSpec::activationBits, PeLimits::minOperandBits, kPeLimits.dataBits},
        {"accumulator bits", &PeSpec::accumulatorBits, PeLimits::minSignedBits, kPeLimits.accumulatorBits},
        {"output bits", &PeSpec::outputBits, PeLimits::minSignedBits, kPeLimits.outputBits},
        {"shift", &PeSpec::shift, 0, kPeLimits.shift},
        {"serial bits", &PeSpec::serialBits, PeLimits::minOperandBits, kPeLimits.serialBits},
    };
    for (const Limit& limit : limits) {
        for (int past : {limit.lo - 1, limit.hi + 1}) {
            for (bool upper : {true, false}) {
                PeSpec pe = upper ? specAtUpperLimits(PeMode::BitSerial) : specAtLowerLimits(PeMode::BitSerial);
                pe.*limit.setting = past;
                INFO(limit.name << " " << past << " in a spec at the " << (upper ? "upper" : "lower") << " limits");
                CHECK(checkPeSpec(pe) == std::string(limit.name) + " " + std::to_string(past) + " is outside " + std::to_string(limit.lo) +
                                             ".." + std::to_string(limit.hi));
            }
        }
    }
    // Serial bits mean nothing outside bit-serial mode.
    PeSpec dense = specAtUpperLimits(PeMode::DenseSpatial);
    dense.serialBits = kPeLimits.serialBits + 1;
    CHECK(checkPeSpec(dense).empty());
}

TEST_CASE("PE limits: the simulator takes a spec at the limits of pelimits.h, every lane, in every mode", "[rtlsim]")
{
    PeSimulator sim;
    std::mt19937_64 random(16);
    for (PeMode mode : kModes) {
        for (bool widest : {true, false}) {
            // Every limit at once (the widest shift leaves little of a result), then the widest
            // operands, accumulator and output unshifted.
            PeSpec pe = specAtUpperLimits(mode);
            pe.weightSigned = widest;
            pe.activationSigned = true;
            if (!widest)
                pe.shift = 0;
            // Sparse: the activation buffer full, every index the PE can address.
            const Dim reduction = mode == PeMode::Sparse ? kPeBufferEntries : 3 * kPeLimits.lanes + 5;
            const Dim outputs = mode == PeMode::Sparse ? 3 : kPeLimits.lanes + 3;
            const PeTile tile = randomTile(pe, outputs, reduction, mode == PeMode::Sparse ? 0.3 : 0.9, random);
            const Check c = simulate(sim, pe, tile);
            INFO(peModeName(mode) << " shift " << pe.shift);
            REQUIRE(c.run.outputs == c.golden);
            CHECK(c.run.cycles() == c.predicted);
            CHECK(c.run.toggles == c.activity.toggles);
            CHECK(c.run.products == c.activity.products);
        }
    }
    // The unshifted results reach the output's range: the limits are exercised, not only accepted.
    PeSpec pe = specAtUpperLimits(PeMode::DenseSpatial);
    pe.shift = 0;
    PeTile t;
    t.reduction = kPeLimits.lanes;
    const std::int32_t most = codeMax(kPeLimits.dataBits, true);
    t.weights = {std::vector<std::int32_t>(static_cast<std::size_t>(kPeLimits.lanes), most)};
    t.activations = t.weights;
    const Check c = simulate(sim, pe, t);
    REQUIRE(c.run.outputs == c.golden);
    const std::int64_t sum = std::int64_t{most} * most * kPeLimits.lanes;
    const std::int64_t top = (std::int64_t{1} << (kPeLimits.outputBits - 1)) - 1;
    CHECK(c.golden.front() == std::min(sum, top));
    CHECK(c.run.cycles() == c.predicted);
}

TEST_CASE("RTL PE: bit-exact outputs and exactly predicted cycles in every mode and width", "[rtlsim]")
{
    PeSimulator sim;
    std::mt19937_64 random(20261202);
    int runs = 0;
    for (PeMode mode : kModes) {
        for (int bits = 2; bits <= kPeLimits.dataBits; ++bits) {
            for (int repeat = 0; repeat < 2; ++repeat) {
                PeSpec pe;
                pe.mode = mode;
                pe.lanes = std::uniform_int_distribution<int>(1, kPeMaxLanes)(random);
                pe.weightBits = bits;
                pe.activationBits = std::uniform_int_distribution<int>(2, kPeLimits.dataBits)(random);
                pe.weightSigned = repeat == 0 || bits % 3 != 0;
                pe.activationSigned = repeat == 1;
                pe.accumulatorBits = std::uniform_int_distribution<int>(pe.weightBits + pe.activationBits, 48)(random);
                pe.serialBits = std::uniform_int_distribution<int>(1, bits)(random);
                pe.outputBits = std::uniform_int_distribution<int>(2, 16)(random);
                pe.shift = std::uniform_int_distribution<int>(0, 20)(random);
                pe.round = repeat == 0;
                pe.relu = bits % 2 == 0;
                const Dim outputs = std::uniform_int_distribution<Dim>(1, 40)(random);
                const Dim reduction = std::uniform_int_distribution<Dim>(1, 200)(random);
                const double density = mode == PeMode::Sparse ? 0.3 : 0.9;
                const PeTile tile = randomTile(pe, outputs, reduction, density, random);
                const Check c = simulate(sim, pe, tile);
                INFO(peModeName(mode) << " w" << pe.weightBits << (pe.weightSigned ? "s" : "u") << " a" << pe.activationBits
                                      << (pe.activationSigned ? "s" : "u") << " acc" << pe.accumulatorBits << " lanes " << pe.lanes
                                      << " serial " << pe.serialBits << " shift " << pe.shift << " out " << pe.outputBits << ", "
                                      << outputs << " x " << reduction);
                REQUIRE(c.run.outputs == c.golden);
                CHECK(c.run.cycles() == c.predicted);
                CHECK(c.run.toggles == c.activity.toggles);
                CHECK(c.run.products == c.activity.products);
                ++runs;
            }
        }
    }
    CHECK(runs == 4 * (kPeLimits.dataBits - 1) * 2);
    CHECK(sim.simulatedCycles() > 10000);
}

TEST_CASE("RTL PE: the accumulator wraps at its width and the quantiser saturates", "[rtlsim]")
{
    PeSimulator sim;
    PeSpec pe;
    pe.mode = PeMode::DenseSpatial;
    pe.lanes = 4;
    pe.weightBits = 8;
    pe.activationBits = 8;
    pe.accumulatorBits = 12;  // 127 * 127 * 8 overflows 12 bits
    pe.outputBits = 8;
    pe.shift = 0;
    PeTile t;
    t.reduction = 8;
    t.weights = {std::vector<std::int32_t>(8, 127), std::vector<std::int32_t>(8, -128), {1, 2, 3, 0, 0, 0, 0, 0}};
    t.activations = {std::vector<std::int32_t>(8, 127), std::vector<std::int32_t>(8, 127), {1, 1, 1, 1, 1, 1, 1, 1}};
    const Check c = simulate(sim, pe, t);
    REQUIRE(c.run.outputs == c.golden);
    // 8 * 16129 = 129032 = 0x1F808: low 12 bits 0x808 = -2040 signed, saturated to -128.
    CHECK(c.golden[0] == -128);
    CHECK(c.golden[2] == 6);
    pe.relu = true;
    const Check r = simulate(sim, pe, t);
    REQUIRE(r.run.outputs == r.golden);
    CHECK(r.golden[0] == 0);
}

TEST_CASE("RTL PE: results held by the consumer stall the PE without losing or repeating any", "[rtlsim]")
{
    PeSimulator sim;
    std::mt19937_64 random(5);
    for (PeMode mode : kModes) {
        PeSpec pe;
        pe.mode = mode;
        pe.lanes = 5;
        pe.weightBits = 6;
        pe.activationBits = 7;
        pe.serialBits = 2;
        pe.outputBits = 16;
        pe.shift = 3;
        const PeTile tile = randomTile(pe, 23, 3, 0.6, random);  // short reductions: results every few cycles
        const Check c = simulate(sim, pe, tile, 0.6);
        INFO(peModeName(mode));
        CHECK(c.run.outputs == c.golden);
        CHECK(c.run.stallCycles > 0);
        CHECK(c.run.cycles() > c.predicted);
    }
}

TEST_CASE("RTL PE: specs and streams it cannot take are errors", "[rtlsim]")
{
    PeSimulator sim;
    PeSpec pe;
    pe.lanes = kPeMaxLanes + 1;
    PeStream s;
    auto r = sim.run(pe, s);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("lanes " + std::to_string(kPeMaxLanes + 1)));
    pe.lanes = 4;
    pe.weightBits = kPeLimits.dataBits + 1;
    CHECK_FALSE(sim.run(pe, s).ok());
    pe.weightBits = 8;
    pe.mode = PeMode::Sparse;
    s.activationBuffer.resize(kPeBufferEntries + 1);
    r = sim.run(pe, s);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("activation-buffer"));
}

TEST_CASE("RTL PE: a VCD trace is written when asked", "[rtlsim]")
{
    const std::string path = "rtlsim-trace-test.vcd";
    {
        PeSimulator sim(path);
        PeSpec pe;
        pe.mode = PeMode::DenseSpatial;
        pe.lanes = 2;
        PeTile t;
        t.reduction = 2;
        t.weights = {{1, 2}};
        t.activations = {{3, 4}};
        auto r = sim.run(pe, packTile(pe, t));
        REQUIRE(r.ok());
        CHECK(r->outputs == std::vector<std::int32_t>{11});  // 1 x 3 + 2 x 4
    }
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("$enddefinitions") != std::string::npos);
    CHECK(text.find("in_valid") != std::string::npos);
    std::remove(path.c_str());
}
