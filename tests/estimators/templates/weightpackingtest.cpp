// Narrow weights stored packed: the loop-nest engine on a fixed Timeloop mapping (words moved
// and held, exactly), and a fixed-datapath template with pack_weights on a 4-bit plan.
#include "estimators/engine/nestanalysis.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/timeloop/timeloopcase.h"

#include "../projecttesting.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cdx;
using namespace cdx::testing;

namespace {

/// The case's architecture with weights packed `perWord` to a word wherever a level holds more
/// than one word (the estimator's rule).
Architecture packedWeights(Architecture arch, int perWord)
{
    for (auto& level : arch.storage)
        if (!level.dummy && level.depth != 1)
            level.elementsPerWord[kWeights] = perWord;
    return arch;
}

EngineStats run(const Problem& problem, const Architecture& arch, const Mapping& mapping)
{
    EngineStats s;
    evaluateMapping(problem, arch, mapping, EngineOptions{}, s);
    return s;
}

double sumComponent(const NetworkResult& r, const std::string& name)
{
    const auto it = std::find_if(r.energyBreakdownPj.begin(), r.energyBreakdownPj.end(), [&](const auto& c) { return c.first == name; });
    return it == r.energyBreakdownPj.end() ? 0 : it->second;
}

double layerComponent(const LayerResult& l, const std::string& name)
{
    double pj = 0;
    for (const auto& [component, value] : l.energyBreakdownPj)
        pj += component == name ? value : 0;
    return pj;
}

}  // namespace

TEST_CASE("packed weights: the same accesses, in a word per two weights, and half the room", "[engine][packing]")
{
    auto loaded = loadTimeloopCase(std::string(CDX_TEST_DATA_DIR) + "/timeloop/simple_weight_stationary");
    REQUIRE(loaded.ok());
    const TimeloopCase& c = loaded.value();
    const EngineStats plain = run(c.problem, c.architecture, c.mapping);
    REQUIRE(plain.ok());
    const Architecture arch = packedWeights(c.architecture, 2);
    const EngineStats packed = run(c.problem, arch, c.mapping);
    REQUIRE(packed.ok());

    CHECK(packed.computeCycles == plain.computeCycles);
    CHECK(packed.computeEnergyPj == plain.computeEnergyPj);
    int packedLevels = 0;
    for (int i = 0; i < plain.levels; ++i) {
        const StorageLevel& level = arch.storage[static_cast<std::size_t>(i)];
        for (int pv = 0; pv < plain.dataSpaces; ++pv) {
            const DataSpaceStats& a = plain.level[static_cast<std::size_t>(i)].dataSpaces[static_cast<std::size_t>(pv)];
            const DataSpaceStats& b = packed.level[static_cast<std::size_t>(i)].dataSpaces[static_cast<std::size_t>(pv)];
            INFO(level.name << " data space " << pv);
            // The elements moved do not change; only the words that carry them.
            CHECK(b.reads == a.reads);
            CHECK(b.fills == a.fills);
            CHECK(b.updates == a.updates);
            if (pv != kWeights || level.elementsPerWord[kWeights] < 2 || !a.kept) {
                CHECK(b.energyPj == a.energyPj);
                continue;
            }
            ++packedLevels;
            // Half the words, each costing what a word costs: a block of B words carries 2B
            // weights, so the accesses are ceil(n / 2B) where they were ceil(n / B).
            const auto blocks = [&](Dim n, int perWord) { return static_cast<double>((n + perWord * level.blockSize - 1) / (perWord * level.blockSize)); };
            const double expected = (blocks(a.reads, 2) * level.actions.readPj + blocks(a.fills, 2) * level.actions.writePj) *
                                    static_cast<double>(a.instances);
            CHECK(b.energyPj == Approx(expected));
            CHECK(b.energyPj <= 0.5 * a.energyPj + (level.actions.readPj + level.actions.writePj) * static_cast<double>(a.instances));
            CHECK(b.energyPj < a.energyPj);
        }
    }
    CHECK(packedLevels >= 2);  // a buffer and DRAM

    // A buffer sized for the packed tiles: exactly full with weights packed, one word short
    // without (the capacity check counts words, not elements).
    int tightened = 0;
    for (int i = 0; i + 1 < plain.levels; ++i) {
        const StorageLevel& level = arch.storage[static_cast<std::size_t>(i)];
        const DataSpaceStats& w = plain.level[static_cast<std::size_t>(i)].dataSpaces[kWeights];
        if (level.elementsPerWord[kWeights] < 2 || !w.kept || w.capacity < 2 || level.multipleBuffering > 1)
            continue;
        Dim used = 0;
        for (int pv = 0; pv < plain.dataSpaces; ++pv) {
            const DataSpaceStats& d = plain.level[static_cast<std::size_t>(i)].dataSpaces[static_cast<std::size_t>(pv)];
            used += d.kept ? (pv == kWeights ? (d.capacity + 1) / 2 : d.capacity) : 0;
        }
        INFO(level.name << ": " << used << " words packed");
        Architecture tight = arch, tightPlain = c.architecture;
        tight.storage[static_cast<std::size_t>(i)].depth = used;
        tightPlain.storage[static_cast<std::size_t>(i)].depth = used;
        CHECK(run(c.problem, tight, c.mapping).ok());
        const EngineStats over = run(c.problem, tightPlain, c.mapping);
        CHECK(over.failure == MappingFailure::CapacityExceeded);
        CHECK(over.failureLevel == i);
        ++tightened;
    }
    CHECK(tightened >= 1);
}

TEST_CASE("pack_weights on a fixed 8-bit datapath: a 4-bit plan moves half the weight words, computes as before",
          "[estimate][precision][packing]")
{
    const auto gemmini = load("gemmini_resnet50.json");
    Project four = gemmini.project;
    four.compression["default"]["weights"]["bits"] = 4;
    const Loaded fourBit{four, gemmini.network};

    // An 8-bit plan has nothing to pack: the same result with and without.
    const NetworkResult eight = estimate(gemmini);
    const NetworkResult eightPacked = estimate(gemmini, {{"pack_weights", true}});
    CHECK(eightPacked.energyPj == eight.energyPj);
    CHECK(eightPacked.cycles == eight.cycles);

    const NetworkResult plain = estimate(fourBit);
    const NetworkResult packed = estimate(fourBit, {{"pack_weights", true}});
    // Unpacked, a 4-bit plan on the 8-bit datapath costs what the 8-bit plan does.
    CHECK(plain.energyPj == eight.energyPj);
    // The MACs are the datapath's either way.
    CHECK(sumComponent(packed, "mac") == sumComponent(plain, "mac"));
    // Packed, each layer's weights reach the array from half as many DRAM words: its DRAM energy
    // never rises, and cannot fall below half.
    REQUIRE(packed.layers.size() == plain.layers.size());
    double dramPlain = 0, dramPacked = 0;
    for (std::size_t i = 0; i < plain.layers.size(); ++i) {
        if (plain.layers[i].unit != "array")
            continue;
        INFO(plain.layers[i].name);
        const double a = layerComponent(plain.layers[i], "DRAM"), b = layerComponent(packed.layers[i], "DRAM");
        CHECK(b <= a * (1 + 1e-9));
        CHECK(b >= 0.5 * a * (1 - 1e-9));
        dramPlain += a;
        dramPacked += b;
    }
    // ResNet-50 at batch 1 reads its 25.5 M weights from DRAM at least once: a large share.
    CHECK(dramPacked < 0.85 * dramPlain);
    CHECK(packed.energyPj < plain.energyPj);

    const auto precision = [](const NetworkResult& r) {
        return std::count_if(r.warnings.begin(), r.warnings.end(), [](const std::string& w) { return w.rfind("precision:", 0) == 0; });
    };
    REQUIRE(precision(packed) == 1);
    const auto it = std::find_if(packed.warnings.begin(), packed.warnings.end(), [](const std::string& w) { return w.rfind("precision:", 0) == 0; });
    CHECK_THAT(*it, Catch::Contains("stored packed (pack_weights)"));
}
