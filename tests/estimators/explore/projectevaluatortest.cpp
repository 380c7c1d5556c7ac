// Design points composed from per-layer results equal the Estimator's full estimate of the
// same point; templates whose design depends on the whole network are estimated in full.
#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "estimators/explore/projectevaluator.h"
#include "estimators/explore/spacecheck.h"
#include "tests/estimators/projecttesting.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <optional>

using namespace cdx;
using namespace cdx::testing;

namespace {

DesignSpace spaceOf(const Loaded& l)
{
    auto space = DesignSpace::fromProject(l.project, l.network);
    INFO((space.ok() ? std::string() : space.error().describe()));
    REQUIRE(space.ok());
    return std::move(space).value();
}

void checkSameMetrics(const PointEstimate& composed, const PointEstimate& full)
{
    REQUIRE(composed.ok == full.ok);
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        INFO(metricName(static_cast<Metric>(m)) << ": composed " << composed.metrics[m] << ", full " << full.metrics[m]);
        CHECK(std::abs(composed.metrics[m] - full.metrics[m]) <= 1e-9 * std::max(std::abs(full.metrics[m]), 1e-300));
    }
}

}  // namespace

TEST_CASE("composed points equal full estimates on the shipped LeNet space (every point of the grid)", "[explore][evaluator]")
{
    const Loaded l = load("explore_systolic_lenet.json");
    const DesignSpace space = spaceOf(l);
    ProjectEvaluator evaluator(l.project, l.network, space);
    REQUIRE(evaluator.composes());
    auto search = makeSearchStrategy(space, Shard{});
    const ExploreOutcome run = explore(space, *search, evaluator, {});
    REQUIRE(run.points.size() == 432);
    // 16 array shapes x 3 FC layers x 3 precisions: a few full estimates per shape fill every part
    INFO("full estimates " << evaluator.fullEstimates() << ", composed " << evaluator.composedPoints());
    CHECK(evaluator.fullEstimates() < 432 / 2);
    CHECK(evaluator.fullEstimates() + evaluator.composedPoints() == 432);
    ProjectEvaluator reference(l.project, l.network, space);
    for (std::size_t i = 0; i < run.points.size(); i += 7) {
        const Genome& g = run.points[i].genome;
        INFO("point " << run.points[i].key);
        checkSameMetrics(evaluator.evaluate(g), reference.evaluateInFull(g));
    }
    // the precision axes change what they should: fewer weight bits, less memory and more accuracy loss
    const PointEstimate wide = evaluator.evaluate({1, 1, 2, 2, 2}), narrow = evaluator.evaluate({1, 1, 1, 1, 1});
    // The values halve; the per-channel scales of the 300 + 100 + 10 rows (32 bits each) stay.
    const double scaleBytes = (300 + 100 + 10) * 4.0;
    CHECK(narrow.metrics[std::size_t(Metric::MemoryBytes)] - scaleBytes ==
          Approx((wide.metrics[std::size_t(Metric::MemoryBytes)] - scaleBytes) / 2));
    CHECK(narrow.metrics[std::size_t(Metric::AccuracyDropPp)] > wide.metrics[std::size_t(Metric::AccuracyDropPp)]);
}

TEST_CASE("composed points equal full estimates on ResNet-18 with a precision per convolution (Eyeriss v1)", "[explore][evaluator]")
{
    Loaded l = load("default.json");
    l.project.hardware["mapper"] = {{"budget", 500}};
    l.project.explore = nlohmann::ordered_json::parse(R"({
        "axes": [
            {"name": "clock", "platform": "clock_mhz", "values": [100, 200]},
            {"name": "bits", "each_layer": {"kind": "conv"}, "set": "weights.bits", "values": [8, 16]}
        ],
        "search": {"strategy": "random", "points": 24, "seed": 9}
    })");
    const DesignSpace space = spaceOf(l);
    CHECK(space.axes().size() == 1 + 20);  // ResNet-18 has 20 convolutions
    ProjectEvaluator evaluator(l.project, l.network, space);
    REQUIRE(evaluator.composes());
    auto search = makeSearchStrategy(space, Shard{});
    const ExploreOutcome run = explore(space, *search, evaluator, {});
    ProjectEvaluator reference(l.project, l.network, space);
    for (const Evaluation& e : run.points) {
        INFO("point " << e.key);
        checkSameMetrics(evaluator.evaluate(e.genome), reference.evaluateInFull(e.genome));
    }
    CHECK(evaluator.composedPoints() > 0);
}

TEST_CASE("a template sized to the whole network is estimated in full, and a design that cannot be built is kept with its reason",
          "[explore][evaluator]")
{
    Loaded l = load("descartes_ese_lstm.json");
    l.project.explore = nlohmann::ordered_json::parse(R"({
        "axes": [{"name": "pes", "param": "pes", "values": [16, 32, 0]}],
        "objectives": ["latency_s", "lut"]
    })");
    const DesignSpace space = spaceOf(l);
    ProjectEvaluator evaluator(l.project, l.network, space);
    CHECK_FALSE(evaluator.composes());
    CHECK_THAT(evaluator.whyNotComposed(), Catch::Contains("sparse_mv"));
    auto search = makeSearchStrategy(space, Shard{});
    const ExploreOutcome run = explore(space, *search, evaluator, {});
    REQUIRE(run.points.size() == 3);
    CHECK(evaluator.fullEstimates() == 3);
    CHECK(run.points[0].feasible);
    CHECK(run.points[1].feasible);
    CHECK(run.points[0].metrics[std::size_t(Metric::LatencyS)] > run.points[1].metrics[std::size_t(Metric::LatencyS)]);
    CHECK_FALSE(run.points[2].estimated);
    CHECK_THAT(run.points[2].reason, Catch::Contains("/hardware/params/pes"));
}

TEST_CASE("a space that names a parameter, template, preset or key that does not exist is refused before the search",
          "[explore][evaluator][names]")
{
    Loaded l = load("explore_systolic_lenet.json");
    const auto problem = [&](const char* axes, const Loaded& on) -> std::optional<Error> {
        Project p = on.project;
        p.explore = nlohmann::ordered_json{{"axes", nlohmann::ordered_json::parse(axes)}};
        auto space = DesignSpace::fromProject(p, on.network);
        INFO((space.ok() ? std::string() : space.error().describe()));
        REQUIRE(space.ok());
        return checkSpaceNames(p, space.value());
    };
    struct Case {
        const char* axes;
        const char* location;
        const char* message;
    };
    const Case cases[] = {
        {R"([{"name": "r", "param": "pe_rows", "values": [4, 8]}])", "/explore/axes/0/param",
         "template systolic has no parameter \"pe_rows\" (did you mean \"rows\"?)"},
        {R"([{"name": "c", "pointer": "/hardware/params/colz", "values": [4]}])", "/explore/axes/0/pointer", "(did you mean \"cols\"?)"},
        {R"([{"name": "t", "pointer": "/hardware/template", "values": ["systolic", "systolc"]}])", "/explore/axes/0/values/1",
         "no template named \"systolc\" (did you mean \"systolic\"?)"},
        // every template a template axis reaches must have the parameter: each nvdla point would fail
        {R"([{"name": "t", "pointer": "/hardware/template", "values": ["systolic", "nvdla"]}, {"name": "r", "param": "rows", "values": [4]}])",
         "/hardware/preset", "template nvdla (/explore/axes/0/values/1) has no preset \"gemmini_default\""},
        {R"([{"name": "p", "pointer": "/hardware/preset", "values": ["gemmini_default", "tpu_v2"]}])", "/explore/axes/0/values/1",
         "template systolic has no preset \"tpu_v2\" (did you mean \"tpu_v1\"?)"},
        {R"([{"name": "m", "pointer": "/hardware/mapper/budgte", "values": [10]}])", "/explore/axes/0/pointer", "(did you mean \"budget\"?)"},
        {R"([{"name": "f", "platform": "clock_mhzz", "values": [100]}])", "/explore/axes/0/platform",
         "an asic platform: unknown key \"clock_mhzz\" (did you mean \"clock_mhz\"?)"},
        {R"([{"name": "v", "platform": "device", "values": ["xc7z020"]}])", "/explore/axes/0/platform", "an asic platform: unknown key \"device\""},
        {R"([{"name": "o", "pointer": "/tech/override/sram", "values": [1]}])", "/explore/axes/0/pointer", "the tech block holds \"overrides\""},
    };
    for (const Case& c : cases) {
        INFO(c.axes);
        const auto error = problem(c.axes, l);
        REQUIRE(error.has_value());
        CHECK(error->code == ExitCode::BadInput);
        CHECK(error->file == l.project.filePath);
        CHECK(error->location == c.location);
        CHECK_THAT(error->message, Catch::Contains(c.message));
    }
    // Without the preset, the template axis reaches nvdla, which has no "rows".
    Loaded noPreset = l;
    noPreset.project.hardware.erase("preset");
    const auto rows = problem(R"([{"name": "t", "pointer": "/hardware/template", "values": ["systolic", "nvdla"]},
                                  {"name": "r", "param": "rows", "values": [4]}])",
                              noPreset);
    REQUIRE(rows.has_value());
    CHECK(rows->location == "/explore/axes/1/param");
    CHECK_THAT(rows->message, Catch::Contains("template nvdla (/explore/axes/0/values/1) has no parameter \"rows\""));

    // Names that exist pass, whatever their values: a value a design cannot be built with is an
    // infeasible point, kept with its reason (the sparse_mv test above).
    CHECK_FALSE(problem(R"([{"name": "r", "param": "rows", "values": [4, 0, 100000]},
                            {"name": "n", "pointer": "/platform/node_nm", "values": [28, 3]},
                            {"name": "f", "platform": "clock_mhz", "values": [100, 200]},
                            {"name": "m", "pointer": "/hardware/mapper/budget", "values": [10]},
                            {"name": "p", "pointer": "/hardware/preset", "values": ["gemmini_default", "tpu_v1"]}])",
                        l)
                     .has_value());
    CHECK_FALSE(checkSpaceNames(l.project, spaceOf(l)).has_value());
    // An FPGA project's platform has a device and no supply voltage.
    const Loaded fpga = load("aristotle_vgg16.json");
    CHECK_FALSE(problem(R"([{"name": "d", "platform": "device", "values": ["xc7z020", "xc7z045"]}])", fpga).has_value());
    const auto vdd = problem(R"([{"name": "v", "platform": "vdd", "values": [0.8]}])", fpga);
    REQUIRE(vdd.has_value());
    CHECK_THAT(vdd->message, Catch::Contains("an fpga platform: unknown key \"vdd\""));
}

TEST_CASE("a space whose every axis changes the design is estimated in full, and says so", "[explore][evaluator]")
{
    Loaded l = load("explore_systolic_lenet.json");
    l.project.explore["axes"].erase(2);  // rows x cols, no compression axis: every point a design of its own
    const DesignSpace space = spaceOf(l);
    ProjectEvaluator evaluator(l.project, l.network, space);
    CHECK_FALSE(evaluator.composes());
    CHECK_THAT(evaluator.whyNotComposed(), Catch::Contains("every axis changes the design"));
    auto search = makeSearchStrategy(space, Shard{});
    const ExploreOutcome run = explore(space, *search, evaluator, {});
    CHECK(run.points.size() == 16);
    CHECK(evaluator.fullEstimates() == 16);
    CHECK(evaluator.composedPoints() == 0);
}
