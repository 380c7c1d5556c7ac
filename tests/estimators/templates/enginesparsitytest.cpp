// Sparseloop-style sparsity in the loop-nest engine: formats and their metadata, gating and
// skipping, on a fixed Timeloop mapping (exact comparisons) and through the estimator on the
// dense templates (the same network pruned and unpruned, with and without sparse support).
#include "core/project/project.h"
#include "estimators/engine/nestanalysis.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/engine/sparsity.h"
#include "estimators/estimate/estimator.h"
#include "estimators/timeloop/timeloopcase.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cdx;

namespace {

const std::string kCases = std::string(CDX_TEST_DATA_DIR) + "/timeloop/";

TimeloopCase loadCase()
{
    auto c = loadTimeloopCase(kCases + "simple_weight_stationary");
    REQUIRE(c.ok());
    return std::move(c).value();
}

/// The case's architecture with the weights' zeros gated or skipped and its buffers (every
/// level but one-word registers and fan-out points) storing weights in `format`.
Architecture sparseWeights(Architecture arch, SparseAction action, SparseFormat format)
{
    arch.sparse.active = true;
    arch.sparse.compute[kWeights] = action;
    for (auto& level : arch.storage)
        if (!level.dummy && level.depth != 1)
            level.formats[kWeights] = format;
    return arch;
}

EngineStats run(const Problem& problem, const Architecture& arch, const Mapping& mapping)
{
    EngineStats s;
    evaluateMapping(problem, arch, mapping, EngineOptions{}, s);
    INFO(mappingFailureText(s.failure));
    REQUIRE(s.ok());
    return s;
}

double metadataPj(const EngineStats& s)
{
    double pj = 0;
    for (int i = 0; i < s.levels; ++i)
        pj += s.level[static_cast<std::size_t>(i)].metadataEnergyPj;
    return pj;
}

const DataSpaceStats& at(const EngineStats& s, int level, int space)
{
    return s.level[static_cast<std::size_t>(level)].dataSpaces[static_cast<std::size_t>(space)];
}

struct Loaded {
    Project project;
    Network network;
};

/// LeNet-300-100 at batch 1 on a 16 x 16 weight-stationary systolic array, its fully connected
/// layers pruned to `density` (1: unpruned), with the given hardware parameters.
Loaded lenet(double density, const nlohmann::ordered_json& params)
{
    nlohmann::ordered_json j = {
        {"format", "cdx-project"},
        {"version", 1},
        {"name", "sparsity test"},
        {"network", {{"zoo", "lenet300100"}, {"batch", 1}}},
        {"compression",
         {{"default", {{"weights", {{"bits", 8}, {"format", "int"}}}, {"activations", {{"bits", 8}, {"format", "int"}}}}},
          {"layers", nlohmann::ordered_json::array()}}},
        {"hardware", {{"template", "systolic"}, {"params", params}}},
        {"platform", {{"kind", "asic"}, {"node_nm", 28}, {"vdd", 0.9}, {"clock_mhz", 700}, {"dram", "ddr3"}}},
        {"tech", {{"overrides", nlohmann::ordered_json::object()}}},
        {"explore", nlohmann::ordered_json::object()},
    };
    if (density < 1)
        j["compression"]["layers"].push_back({{"kind", "fc"}, {"pruning", {{"kind", "unstructured"}, {"density", density}}}});
    auto project = readProjectJson(j.dump(), "sparsity.json");
    INFO((project.ok() ? std::string() : project.error().describe()));
    REQUIRE(project.ok());
    auto network = loadProjectNetwork(project.value());
    REQUIRE(network.ok());
    return {std::move(project).value(), std::move(network).value()};
}

NetworkResult estimate(const Loaded& l)
{
    Estimator estimator;
    auto r = estimator.estimate(l.project, l.network);
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    return std::move(r).value();
}

double component(const NetworkResult& r, const std::string& name)
{
    const auto it = std::find_if(r.energyBreakdownPj.begin(), r.energyBreakdownPj.end(), [&](const auto& c) { return c.first == name; });
    return it == r.energyBreakdownPj.end() ? 0 : it->second;
}

bool warnsDense(const NetworkResult& r)
{
    return std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) { return w.find("as dense") != std::string::npos; });
}

}  // namespace

TEST_CASE("the formats' footprints: nonzeros plus a bitmask, coordinates and offsets, or run lengths", "[engine][sparsity]")
{
    const TileFootprint dense = tileFootprint(SparseFormat::Uncompressed, 64, 8, 0.25);
    CHECK(dense.dataWords == 64);
    CHECK(dense.metadataBits == 0);
    const TileFootprint mask = tileFootprint(SparseFormat::Bitmask, 64, 8, 0.25);
    CHECK(mask.dataWords == 16);
    CHECK(mask.metadataBits == 64);
    // 16 nonzeros x 3-bit coordinates in fibers of 8, 9 offsets of 5 bits (0 .. 16).
    const TileFootprint csr = tileFootprint(SparseFormat::CoordinatePayload, 64, 8, 0.25);
    CHECK(csr.dataWords == 16);
    CHECK(csr.metadataBits == 16 * 3 + 9 * 5);
    // 16 nonzeros and 48 zeros: 3 padding zeros for runs past 15, 4 bits each entry.
    const TileFootprint rle = tileFootprint(SparseFormat::RunLength, 64, 8, 0.25);
    CHECK(rle.dataWords == 19);
    CHECK(rle.metadataBits == 19 * 4);
}

TEST_CASE("at density 1 sparse features give the dense figures, plus the metadata they store", "[engine][sparsity]")
{
    const TimeloopCase c = loadCase();
    const EngineStats dense = run(c.problem, c.architecture, c.mapping);

    // Skipping on an uncompressed operand with no zeros: nothing to skip, the same numbers.
    const EngineStats skip = run(c.problem, sparseWeights(c.architecture, SparseAction::Skip, SparseFormat::Uncompressed), c.mapping);
    CHECK(skip.cycles == dense.cycles);
    CHECK(skip.computes == dense.computes);
    CHECK(skip.energyPj == dense.energyPj);
    for (int i = 0; i < dense.levels; ++i)
        for (int pv = 0; pv < 3; ++pv) {
            CHECK(at(skip, i, pv).reads == at(dense, i, pv).reads);
            CHECK(at(skip, i, pv).fills == at(dense, i, pv).fills);
            CHECK(at(skip, i, pv).updates == at(dense, i, pv).updates);
        }

    // A bitmask over a dense tile: the same data moved and computed, and the masks on top.
    const EngineStats mask = run(c.problem, sparseWeights(c.architecture, SparseAction::Skip, SparseFormat::Bitmask), c.mapping);
    INFO("dense " << dense.energyPj << " pJ, bitmask " << mask.energyPj << " pJ, of which metadata " << metadataPj(mask));
    CHECK(mask.computes == dense.computes);
    CHECK(mask.computeCycles == dense.computeCycles);
    CHECK(mask.cycles >= dense.cycles);
    CHECK(mask.computeEnergyPj == dense.computeEnergyPj);
    CHECK(metadataPj(mask) > 0);
    CHECK(mask.energyPj == Approx(dense.energyPj + metadataPj(mask)).epsilon(1e-9));
}

TEST_CASE("skipping zero weights at density 0.25 cuts computes, their cycles and energy by 4", "[engine][sparsity]")
{
    TimeloopCase c = loadCase();
    const EngineStats dense = run(c.problem, c.architecture, c.mapping);
    c.problem.densities[kWeights] = 0.25;
    const EngineStats s = run(c.problem, sparseWeights(c.architecture, SparseAction::Skip, SparseFormat::Bitmask), c.mapping);
    INFO("computes " << dense.computes << " -> " << s.computes << ", compute cycles " << dense.computeCycles << " -> " << s.computeCycles
                     << ", cycles " << dense.cycles << " -> " << s.cycles << ", energy " << dense.energyPj << " -> " << s.energyPj
                     << " pJ, metadata " << metadataPj(s) << " pJ");
    CHECK(static_cast<double>(s.computes) == Approx(dense.computes / 4.0).epsilon(1e-6));
    CHECK(s.skippedComputes == dense.computes - s.computes);
    CHECK(s.gatedComputes == 0);
    CHECK(static_cast<double>(s.computeCycles) == Approx(dense.computeCycles / 4.0).epsilon(1e-3));
    CHECK(s.computeEnergyPj == Approx(dense.computeEnergyPj / 4).epsilon(1e-6));
    CHECK(s.cycles < dense.cycles);
    CHECK(metadataPj(s) > 0);
    CHECK(s.energyPj < dense.energyPj);
    // The outermost level (DRAM) sends a quarter of the weights, and their masks.
    const int top = dense.levels - 1;
    CHECK(static_cast<double>(at(s, top, kWeights).reads) == Approx(at(dense, top, kWeights).reads / 4.0).epsilon(1e-3));
    CHECK(at(s, top, kWeights).metadataReads > 0);
}

TEST_CASE("gating zero weights saves energy but not cycles", "[engine][sparsity]")
{
    TimeloopCase c = loadCase();
    c.problem.densities[kWeights] = 0.25;
    const EngineStats dense = run(c.problem, c.architecture, c.mapping);  // ignores the density
    const EngineStats g = run(c.problem, sparseWeights(c.architecture, SparseAction::Gate, SparseFormat::Uncompressed), c.mapping);
    INFO("energy " << dense.energyPj << " -> " << g.energyPj << " pJ, cycles " << dense.cycles << " -> " << g.cycles);
    CHECK(g.cycles == dense.cycles);
    CHECK(g.computeCycles == dense.computeCycles);
    CHECK(static_cast<double>(g.computes) == Approx(dense.computes / 4.0).epsilon(1e-6));
    CHECK(static_cast<double>(g.gatedComputes) == Approx(dense.computes * 0.75).epsilon(1e-6));
    CHECK(g.computeEnergyPj == Approx(dense.computeEnergyPj / 4).epsilon(1e-6));
    CHECK(g.energyPj < dense.energyPj);
    CHECK(metadataPj(g) == 0);
    // The input operand reads next to the MACs are gated, not removed from the schedule.
    bool gated = false;
    for (int i = 0; i < g.levels; ++i)
        gated = gated || at(g, i, kInputs).gatedReads > 0;
    CHECK(gated);
}

TEST_CASE("a compressed tile fits a buffer its dense tile overflows", "[engine][sparsity]")
{
    TimeloopCase c = loadCase();
    const EngineStats dense = run(c.problem, c.architecture, c.mapping);
    // The on-chip buffer with the largest weight tile, shrunk to one word less than its tiles need.
    int spad = -1;
    for (int i = 0; i < dense.levels; ++i)
        if (c.architecture.storage[static_cast<std::size_t>(i)].depth > 0 && at(dense, i, kWeights).kept &&
            (spad < 0 || at(dense, i, kWeights).capacity > at(dense, spad, kWeights).capacity))
            spad = i;
    REQUIRE(spad >= 0);
    Dim used = 0;
    for (int pv = 0; pv < 3; ++pv)
        used += at(dense, spad, pv).kept ? at(dense, spad, pv).capacity : 0;
    Architecture small = c.architecture;
    small.storage[static_cast<std::size_t>(spad)].depth = used - 1;
    EngineStats s;
    evaluateMapping(c.problem, small, c.mapping, EngineOptions{}, s);
    CHECK(s.failure == MappingFailure::CapacityExceeded);
    c.problem.densities[kWeights] = 0.25;
    evaluateMapping(c.problem, sparseWeights(small, SparseAction::Skip, SparseFormat::Bitmask), c.mapping, EngineOptions{}, s);
    INFO("level " << spad << " holds " << used << " words dense, " << mappingFailureText(s.failure) << " at " << s.failureLevel);
    CHECK(s.ok());
}

TEST_CASE("a pruned network is faster on the systolic array exactly when it skips zero weights", "[engine][sparsity][estimate]")
{
    const nlohmann::ordered_json dense = nlohmann::ordered_json::object();
    const nlohmann::ordered_json skip = {{"sparse_weights", "skip"}, {"sparse_format", "bitmask"}};
    const NetworkResult plainDense = estimate(lenet(1, dense));
    const NetworkResult prunedDense = estimate(lenet(0.1, dense));
    const NetworkResult plainSkip = estimate(lenet(1, skip));
    const NetworkResult prunedSkip = estimate(lenet(0.1, skip));
    INFO("dense design: " << plainDense.latencyS * 1e6 << " us unpruned, " << prunedDense.latencyS * 1e6
                          << " us pruned; skipping design: " << plainSkip.latencyS * 1e6 << " us unpruned, " << prunedSkip.latencyS * 1e6
                          << " us pruned; energy " << plainDense.energyPj << " / " << prunedSkip.energyPj << " pJ, metadata "
                          << component(prunedSkip, "metadata") << " pJ");
    // Without sparse support the pruned model runs as the dense one, and the estimator says so.
    CHECK(prunedDense.latencyS >= plainDense.latencyS);
    CHECK(prunedDense.energyPj == Approx(plainDense.energyPj));
    CHECK(warnsDense(prunedDense));
    // Skipping zero weights stored with bitmasks: faster, fewer MACs performed, metadata energy, no warning.
    CHECK(prunedSkip.latencyS < prunedDense.latencyS);
    CHECK(prunedSkip.latencyS < plainSkip.latencyS);
    CHECK(prunedSkip.energyPj < prunedDense.energyPj);
    CHECK(prunedSkip.effectiveMacs < prunedSkip.macs / 5);
    CHECK(component(prunedSkip, "metadata") > 0);
    CHECK_FALSE(warnsDense(prunedSkip));
    // The unpruned model pays for its masks and gains nothing.
    CHECK(plainSkip.latencyS >= plainDense.latencyS);
    CHECK(plainSkip.energyPj >= plainDense.energyPj);
}
