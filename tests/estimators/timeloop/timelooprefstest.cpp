// The Timeloop reference cases in tests/data/timeloop (timeloop-accelergy-exercises): the engine
// must reproduce Timeloop's per-level, per-data-space counts and its cycles exactly, and its
// energy within 1%.
#include "timeloopstats.h"

#include "estimators/engine/nestanalysis.h"
#include "estimators/timeloop/timeloopcase.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

using namespace cdx;

namespace {

const std::string kCases = std::string(CDX_TEST_DATA_DIR) + "/timeloop";

const char* kAllCases[] = {
    "00_one_level",          "01_two_level_ws",       "01_two_level_os",        "02_output_channels_no-tiling",
    "02_output_channels_tiling", "03_three_level_no-bypass", "03_three_level_bypass", "04_spatial_cp",
    "04_spatial_kp",         "05_mapper_null",        "05_mapper_freebypass",   "05_mapper_baked",
    "simple_weight_stationary", "simple_output_stationary", "eyeriss_like",   "06_dse",
};

std::string statsFile(const std::string& folder)
{
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().filename().string().find(".stats.txt") != std::string::npos)
            return entry.path().string();
    return {};
}

int levelIndex(const Architecture& arch, const std::string& name)
{
    for (int i = 0; i < arch.levels(); ++i)
        if (arch.storage[static_cast<std::size_t>(i)].name == name)
            return i;
    return -1;
}

/// Compares every printed count of every level and data space; returns the number compared.
int compareCounts(const TimeloopCase& c, const EngineStats& stats, const test::TimeloopStats& ref)
{
    int compared = 0;
    for (const auto& [levelName, level] : ref.levels) {
        if (levelName == c.architecture.arithmetic.name) {
            CHECK(level.fields.at("Computes (total)") == static_cast<double>(stats.computes));
            CHECK(level.fields.at("Utilized instances") == static_cast<double>(stats.utilizedMacs));
            continue;
        }
        const int i = levelIndex(c.architecture, levelName);
        INFO("level " << levelName);
        REQUIRE(i >= 0);
        const LevelStats& ours = stats.level[static_cast<std::size_t>(i)];
        if (level.fields.count("Cycles"))
            CHECK(level.fields.at("Cycles") == static_cast<double>(ours.cycles));
        if (level.fields.count("Leakage energy (total)"))
            CHECK(ours.leakagePj == Approx(level.fields.at("Leakage energy (total)")).margin(0.006));
        for (const auto& [spaceName, fields] : level.dataSpaces) {
            const int pv = c.problem.dataSpaceIndex(spaceName);
            INFO("data space " << spaceName);
            REQUIRE(pv >= 0);
            const DataSpaceStats& s = ours.dataSpaces[static_cast<std::size_t>(pv)];
            CHECK(s.kept);
            const std::pair<const char*, Dim> counts[] = {
                {"Partition size", s.partition},
                {"Utilized capacity", s.capacity},
                {"Utilized instances (max)", s.instances},
                {"Scalar reads (per-instance)", s.reads},
                {"Scalar fills (per-instance)", s.fills},
                {"Scalar updates (per-instance)", s.updates},
                {"Temporal reductions (per-instance)", s.temporalReductions},
                {"Address generations (per-cluster)", s.addressGenerations},
            };
            for (const auto& [key, value] : counts) {
                if (!fields.count(key))
                    continue;
                INFO(key);
                CHECK(fields.at(key) == static_cast<double>(value));
                ++compared;
            }
            if (fields.count("Energy (total)"))
                CHECK(s.energyPj == Approx(fields.at("Energy (total)")).margin(0.006).epsilon(1e-6));
        }
    }
    return compared;
}

}  // namespace

TEST_CASE("the engine reproduces every Timeloop reference case", "[engine][timeloop]")
{
    for (const char* name : kAllCases) {
        DYNAMIC_SECTION(name)
        {
            const std::string folder = kCases + "/" + name;
            auto c = loadTimeloopCase(folder);
            INFO((c.ok() ? std::string() : c.error().describe()));
            REQUIRE(c.ok());
            EngineStats stats;
            evaluateMapping(c->problem, c->architecture, c->mapping, EngineOptions{}, stats);
            INFO(mappingFailureText(stats.failure) << " at " << stats.failureLevel);
            REQUIRE(stats.ok());
            const auto ref = test::readTimeloopStats(statsFile(folder));
            REQUIRE(ref.has_value());
            CHECK(compareCounts(c.value(), stats, *ref) > 0);
            CHECK(static_cast<double>(stats.cycles) == ref->summary.at("Cycles"));
            CHECK(stats.utilization * 100 == Approx(ref->summary.at("Utilization")).margin(0.006));
            // Total energy: Timeloop prints fJ per compute.
            const double fj = stats.energyPj * 1000 / static_cast<double>(stats.computes);
            CHECK(fj == Approx(ref->fjPerCompute.at("Total")).epsilon(0.01));
            CHECK(fj == Approx(ref->fjPerCompute.at("Total")).margin(0.006));
        }
    }
}

TEST_CASE("the engine reproduces the Timeloop master and v3.0.3 reruns with their rules", "[engine][timeloop]")
{
    struct Rerun {
        const char* version;  ///< folder under reruns/
        const char* rerun;
        const char* inputs;   ///< the reference case with the same inputs
    };
    const Rerun reruns[] = {
        {"master", "simple_weight_stationary", "simple_weight_stationary"},
        {"master", "simple_output_stationary", "simple_output_stationary"},
        {"master", "eyeriss_like", "eyeriss_like"},
        {"master", "t20_00-model-conv1d-1level", "00_one_level"},
        {"master", "t20_01-model-conv1d-2level_ws", "01_two_level_ws"},
        {"master", "t20_01-model-conv1d-2level_os", "01_two_level_os"},
        {"master", "t20_02-model-conv1d+oc-2level_no-tiling", "02_output_channels_no-tiling"},
        {"master", "t20_02-model-conv1d+oc-2level_tiling", "02_output_channels_tiling"},
        {"master", "t20_03-model-conv1d+oc-3level_no-bypass", "03_three_level_no-bypass"},
        {"master", "t20_03-model-conv1d+oc-3level_bypass", "03_three_level_bypass"},
        {"master", "t20_04-model-conv1d+oc-3levelspatial_cp", "04_spatial_cp"},
        {"master", "t20_04-model-conv1d+oc-3levelspatial_kp", "04_spatial_kp"},
        {"master", "t24_dse", "06_dse"},
        {"v3.0.3", "simple_weight_stationary", "simple_weight_stationary"},
        {"v3.0.3", "simple_output_stationary", "simple_output_stationary"},
        {"v3.0.3", "eyeriss_like", "eyeriss_like"},
    };
    for (const auto& r : reruns) {
        DYNAMIC_SECTION(r.version << "/" << r.rerun)
        {
            auto c = loadTimeloopCase(kCases + "/" + r.inputs);
            REQUIRE(c.ok());
            EngineOptions options;
            options.masterHaloReuse = std::string(r.version) == "master";
            options.leakage = std::string(r.version) != "v3.0.3";
            EngineStats stats;
            evaluateMapping(c->problem, c->architecture, c->mapping, options, stats);
            REQUIRE(stats.ok());
            const auto ref = test::readTimeloopStats(kCases + "/reruns/" + r.version + "/" + r.rerun + "/timeloop-model.stats.txt");
            REQUIRE(ref.has_value());
            CHECK(compareCounts(c.value(), stats, *ref) > 0);
            CHECK(static_cast<double>(stats.cycles) == ref->summary.at("Cycles"));
            const double fj = stats.energyPj * 1000 / static_cast<double>(stats.computes);
            CHECK(fj == Approx(ref->fjPerCompute.at("Total")).margin(0.006));
        }
    }
}

TEST_CASE("the two halo rules differ only where Timeloop's versions do", "[engine][timeloop]")
{
    // simple_output_stationary: shared_glb Inputs fills 16 x 9831 (reference) vs 2 x (9831 + 7 x 9492) (master).
    auto c = loadTimeloopCase(kCases + "/simple_output_stationary");
    REQUIRE(c.ok());
    EngineStats reference, master;
    evaluateMapping(c->problem, c->architecture, c->mapping, EngineOptions{}, reference);
    EngineOptions options;
    options.masterHaloReuse = true;
    evaluateMapping(c->problem, c->architecture, c->mapping, options, master);
    const int glb = levelIndex(c->architecture, "shared_glb");
    const int inputs = c->problem.dataSpaceIndex("Inputs");
    CHECK(reference.level[static_cast<std::size_t>(glb)].dataSpaces[static_cast<std::size_t>(inputs)].fills == 157296);
    CHECK(master.level[static_cast<std::size_t>(glb)].dataSpaces[static_cast<std::size_t>(inputs)].fills == 152550);
}
