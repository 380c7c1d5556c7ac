// The mapper on the Timeloop example designs (their constraints and energy tables): it must
// find mappings at least as good as the random searches behind the reference outputs, obey
// the constraints, and be deterministic.
#include "estimators/mapper/mapper.h"
#include "estimators/timeloop/timeloopcase.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

const std::string kCases = std::string(CDX_TEST_DATA_DIR) + "/timeloop/";

TimeloopCase load(const std::string& name)
{
    auto c = loadTimeloopCase(kCases + name);
    INFO((c.ok() ? std::string() : c.error().describe()));
    REQUIRE(c.ok());
    return std::move(c).value();
}

/// Every constraint of every level holds in the mapping.
void checkObeys(const TimeloopCase& c, const Mapping& m)
{
    for (int i = 0; i < c.architecture.levels(); ++i) {
        const LevelConstraints& lc = c.constraints.levels[static_cast<std::size_t>(i)];
        const LevelMapping& lm = m.levels[static_cast<std::size_t>(i)];
        INFO("level " << c.architecture.storage[static_cast<std::size_t>(i)].name);
        for (int d = 0; d < c.problem.dims(); ++d) {
            const auto k = static_cast<std::size_t>(d);
            if (lc.temporalFactor[k] > 0)
                CHECK(lm.temporal[k] == lc.temporalFactor[k]);
            if (lc.spatialFactor[k] > 0)
                CHECK(lm.spatialX[k] * lm.spatialY[k] == lc.spatialFactor[k]);
            if (lm.spatialX[k] > 1)
                CHECK((lc.spatialXDims >> d & 1u));
            if (lm.spatialY[k] > 1)
                CHECK((lc.spatialYDims >> d & 1u));
        }
        for (std::size_t p = 0; p < lc.permutationPrefix.size(); ++p)
            CHECK(lm.order[p] == lc.permutationPrefix[p]);
        if (!c.architecture.storage[static_cast<std::size_t>(i)].dummy) {
            CHECK((lm.keep & lc.keep) == lc.keep);
            CHECK((lm.keep & lc.bypass).none());
        }
    }
}

}  // namespace

TEST_CASE("the mapper beats the reference searches on the example designs", "[mapper]")
{
    for (const char* name : {"simple_weight_stationary", "simple_output_stationary", "eyeriss_like"}) {
        DYNAMIC_SECTION(name)
        {
            const TimeloopCase c = load(name);
            const auto reference = evaluateTimeloopCase(c, EngineOptions{});
            REQUIRE(reference.ok());
            for (auto objective : {MapperObjective::Energy, MapperObjective::EnergyDelay}) {
                MapperOptions options;
                options.objective = objective;
                const auto found = findBestMapping(c.problem, c.architecture, c.constraints, options);
                INFO((found.ok() ? std::string() : found.error().describe()));
                REQUIRE(found.ok());
                const EngineStats& s = found->stats;
                REQUIRE(s.ok());
                if (objective == MapperObjective::Energy)
                    CHECK(s.energyPj <= reference->energyPj);
                else
                    CHECK(s.energyPj * static_cast<double>(s.cycles) <=
                          reference->energyPj * static_cast<double>(reference->cycles));
                CHECK(found->evaluations <= options.maxEvaluations);
                checkObeys(c, found->mapping);
                // The reported statistics are the engine's for the mapping returned.
                EngineStats again;
                evaluateMapping(c.problem, c.architecture, found->mapping, EngineOptions{}, again);
                REQUIRE(again.ok());
                CHECK(again.energyPj == s.energyPj);
                CHECK(again.cycles == s.cycles);
                for (int i = 0; i < again.levels; ++i)
                    for (int pv = 0; pv < again.dataSpaces; ++pv) {
                        const auto& x = again.level[static_cast<std::size_t>(i)].dataSpaces[static_cast<std::size_t>(pv)];
                        const auto& y = s.level[static_cast<std::size_t>(i)].dataSpaces[static_cast<std::size_t>(pv)];
                        CHECK(x.reads == y.reads);
                        CHECK(x.fills == y.fills);
                        CHECK(x.updates == y.updates);
                    }
            }
        }
    }
}

TEST_CASE("the mapper is deterministic and meets Timeloop's exhaustive search on 1-D cases", "[mapper]")
{
    const TimeloopCase c = load("05_mapper_freebypass");
    MapperOptions options;
    options.objective = MapperObjective::Latency;  // the case's delay-then-energy metric
    const auto a = findBestMapping(c.problem, c.architecture, c.constraints, options);
    const auto b = findBestMapping(c.problem, c.architecture, c.constraints, options);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(describeMapping(c.problem, c.architecture, a->mapping) == describeMapping(c.problem, c.architecture, b->mapping));
    CHECK(a->stats.energyPj == b->stats.energyPj);
    const auto reference = evaluateTimeloopCase(c, EngineOptions{});
    REQUIRE(reference.ok());
    CHECK(a->stats.cycles <= reference->cycles);
    CHECK(a->stats.energyPj <= reference->energyPj * (1 + 1e-9));
}

TEST_CASE("impossible constraints are reported, not searched forever", "[mapper][errors]")
{
    TimeloopCase c = load("03_three_level_bypass");
    SECTION("a fixed factor that does not divide its dimension")
    {
        c.constraints.levels[0].temporalFactor[static_cast<std::size_t>(c.problem.dimIndex("P"))] = 5;
        const auto r = findBestMapping(c.problem, c.architecture, c.constraints, MapperOptions{});
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("fixes the factor of P at 5"));
    }
    SECTION("a dimension no level may take")
    {
        for (auto& lc : c.constraints.levels)
            lc.temporalFactor[static_cast<std::size_t>(c.problem.dimIndex("K"))] = 1;
        const auto r = findBestMapping(c.problem, c.architecture, c.constraints, MapperOptions{});
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("dimension K (32) may not be mapped"));
    }
    SECTION("levels too small for any tiling")
    {
        for (std::size_t i = 0; i + 1 < c.architecture.storage.size(); ++i) {
            c.architecture.storage[i].depth = 2;  // less than one element of each operand
            c.constraints.levels[i].keep.set();
            c.constraints.levels[i].bypass.reset();
        }
        const auto r = findBestMapping(c.problem, c.architecture, c.constraints, MapperOptions{});
        REQUIRE_FALSE(r.ok());
    }
}
