// The explore block: axes, objectives, constraints, the grid's enumeration and applying a point.
#include "core/explore/designspace.h"
#include "core/project/project.h"
#include "core/zoo/zoo.h"

#include <catch2/catch.hpp>

#include <set>

using namespace cdx;

namespace {

Project projectWith(const char* exploreJson)
{
    Project p;
    p.name = "test";
    p.filePath = "space.json";
    p.network.value = "lenet300100";
    p.hardware = {{"template", "systolic"}, {"params", {{"rows", 16}}}};
    p.explore = nlohmann::ordered_json::parse(exploreJson);
    return p;
}

Network lenet()
{
    auto net = loadProjectNetwork(projectWith("{}"));
    REQUIRE(net.ok());
    return std::move(net.value());
}

}  // namespace

TEST_CASE("axes: values, ranges, log ranges, per-layer expansion and the grid order", "[explore][space]")
{
    const Network net = lenet();
    auto space = DesignSpace::fromProject(projectWith(R"({
        "axes": [
            {"name": "rows", "param": "rows", "values": [8, 16]},
            {"name": "clock", "platform": "clock_mhz", "range": {"from": 100, "to": 400, "step": 150}},
            {"name": "kib", "param": "scratchpad_kib", "log_range": {"from": 16, "to": 256, "factor": 4}},
            {"name": "bits", "each_layer": {"kind": "fc"}, "set": "weights.bits", "values": [4, 8]}
        ],
        "objectives": ["energy_pj", {"metric": "ops_per_s"}, {"metric": "latency_s", "goal": "max"}],
        "constraints": [{"metric": "accuracy_drop_pp", "max": 1}]
    })"), net);
    REQUIRE(space.ok());
    const auto& axes = space->axes();
    REQUIRE(axes.size() == 6);  // rows, clock, kib and one bits axis per FC layer (three)
    CHECK(axes[1].values == std::vector<nlohmann::ordered_json>{100, 250, 400});
    CHECK(axes[2].values == std::vector<nlohmann::ordered_json>{16, 64, 256});
    CHECK(axes[3].name == "bits:ip1");
    CHECK(axes[5].name == "bits:ip3");
    CHECK(axes[3].layers.size() == 1);
    CHECK_FALSE(axes[3].designAxis());
    CHECK(axes[0].designAxis());
    CHECK(space->size() == 2 * 3 * 3 * 8);
    REQUIRE(space->countablePoints() == std::uint64_t{144});
    // throughput is maximised unless told; latency here is maximised because it says so
    CHECK_FALSE(space->objectives()[0].maximise);
    CHECK(space->objectives()[1].maximise);
    CHECK(space->objectives()[2].maximise);
    CHECK(space->constraints()[0].max == 1.0);

    // mixed radix, last axis fastest; indexOf inverts genomeAt; every key distinct and parseable
    CHECK(space->genomeAt(0) == Genome{0, 0, 0, 0, 0, 0});
    CHECK(space->genomeAt(1) == Genome{0, 0, 0, 0, 0, 1});
    CHECK(space->genomeAt(143) == Genome{1, 2, 2, 1, 1, 1});
    std::set<std::string> keys;
    for (std::uint64_t i = 0; i < 144; ++i) {
        const Genome g = space->genomeAt(i);
        CHECK(space->indexOf(g) == i);
        keys.insert(DesignSpace::key(g));
        CHECK(space->parseKey(DesignSpace::key(g)) == g);
    }
    CHECK(keys.size() == 144);
    CHECK_FALSE(space->parseKey("1.2.2.1.1.2"));  // the last axis has two values
    CHECK_FALSE(space->parseKey("1.2.2.1.1"));
    CHECK_FALSE(space->parseKey("a.0.0.0.0.0"));
}

TEST_CASE("applying a point sets the parameters and appends one compression rule per axis", "[explore][space]")
{
    const Network net = lenet();
    const Project base = projectWith(R"({
        "axes": [
            {"name": "rows", "param": "rows", "values": [8, 32]},
            {"name": "node", "pointer": "/platform/node_nm", "values": [28, 16]},
            {"name": "fc2", "layers": "ip2", "set": "pruning.density", "base": {"pruning": {"kind": "unstructured"}}, "values": [0.5, 0.1]},
            {"name": "all", "layers": "default", "set": "activations.bits", "values": [8, 4]}
        ]
    })");
    auto space = DesignSpace::fromProject(base, net);
    REQUIRE(space.ok());
    const Project p = space->apply(base, {1, 1, 1, 1});
    CHECK(p.hardware["params"]["rows"] == 32);
    CHECK(p.hardware["template"] == "systolic");
    CHECK(p.platform["node_nm"] == 16);
    REQUIRE(p.compression["layers"].size() == 1);
    CHECK(p.compression["layers"][0]["match"] == "ip2");
    CHECK(p.compression["layers"][0]["pruning"] == nlohmann::ordered_json({{"kind", "unstructured"}, {"density", 0.1}}));
    CHECK(p.compression["default"]["activations"]["bits"] == 4);
    CHECK(space->axes()[3].designAxis());
    // the signature ignores the budget but not the axes
    Project moreTime = base;
    moreTime.explore["budget"] = {{"seconds", 60}};
    CHECK(DesignSpace::fromProject(moreTime, net)->signature() == space->signature());
    Project other = base;
    other.explore["axes"][0]["values"] = {8, 16};
    CHECK(DesignSpace::fromProject(other, net)->signature() != space->signature());
}

TEST_CASE("a bad explore block names the place", "[explore][space]")
{
    const Network net = lenet();
    struct Case {
        const char* json;
        const char* location;
        const char* message;
    };
    const Case cases[] = {
        {R"({})", "/explore", "axes"},
        {R"({"axes": []})", "/explore", "no axes"},
        {R"({"axes": [{"name": "r", "param": "rows"}]})", "/explore/axes/0", "exactly one of"},
        {R"({"axes": [{"name": "r", "param": "rows", "values": []}]})", "/explore/axes/0/values", "at least one value"},
        {R"({"axes": [{"name": "r", "param": "rows", "range": {"from": 1, "to": 8, "step": 0}}]})", "/explore/axes/0/range/step", "positive"},
        {R"({"axes": [{"name": "r", "param": "rows", "log_range": {"from": 0, "to": 8, "factor": 2}}]})", "/explore/axes/0/log_range/from", "above 0"},
        {R"({"axes": [{"name": "r", "pointer": "/compression/default", "values": [1]}]})", "/explore/axes/0", "under /hardware"},
        {R"({"axes": [{"name": "b", "layers": "conv*", "set": "weights.bits", "values": [4]}]})", "/explore/axes/0/layers", "matches no layer"},
        {R"({"axes": [{"name": "r", "param": "rows", "values": [1]}, {"name": "r", "param": "cols", "values": [1]}]})", "/explore/axes/1", "two axes"},
        {R"({"axes": [{"name": "r", "param": "rows", "values": [1]}], "objectives": ["speed"]})", "/explore/objectives/0", "unknown metric"},
        {R"({"axes": [{"name": "r", "param": "rows", "values": [1]}], "constraints": [{"metric": "latency_s"}]})", "/explore/constraints/0", "\"max\""},
        {R"({"axes": [{"name": "r", "param": "rows", "values": [1]}], "search": {"strategy": "annealing"}})", "/explore/search/strategy", "unknown strategy"},
        {R"({"axes": [{"name": "r", "param": "rows", "values": [1]}], "colour": 1})", "/explore", "colour"},
        {R"({"axes": [{"name": "r", "param": "rows", "range": {"from": 1, "to": 100, "step": 1}},
                     {"name": "b", "each_layer": "*", "set": "weights.bits", "range": {"from": 1, "to": 100000, "step": 1}}]})",
         "/explore", "too many for a grid"},
        // Compression names the plan does not know fail every point: refused at load.
        {R"({"axes": [{"name": "b", "layers": "ip*", "set": "weights.bitz", "values": [4]}]})", "/explore/axes/0/set",
         "\"weights.bitz\" is not a field of a compression setting: unknown key \"bitz\" (did you mean \"bits\"?)"},
        {R"({"axes": [{"name": "b", "each_layer": "*", "set": "weight.bits", "values": [4, 8]}]})", "/explore/axes/0/set",
         "(did you mean \"weights\"?)"},
        {R"({"axes": [{"name": "d", "layers": "default", "set": "activations.bitz", "values": [8]}]})", "/explore/axes/0/set", "\"bitz\""},
        {R"({"axes": [{"name": "p", "layers": "ip*", "set": "pruning.density", "base": {"pruning": {"knd": "unstructured"}}, "values": [0.5]}]})",
         "/explore/axes/0/base/pruning/knd", "(did you mean \"kind\"?)"},
        {R"({"axes": [{"name": "p", "layers": "ip*", "set": "pruning",
                      "values": [{"kind": "unstructured", "density": 0.5}, {"kind": "unstructured", "densty": 0.5}]}]})",
         "/explore/axes/0/values/1/densty", "(did you mean \"density\"?)"},
        {R"({"axes": [{"name": "b", "layers": "ip*", "set": "weights.bits", "base": {"weights": 8}, "values": [4]}]})",
         "/explore/axes/0/base/weights", "not an object"},
    };
    for (const Case& c : cases) {
        INFO(c.json);
        auto space = DesignSpace::fromProject(projectWith(c.json), net);
        REQUIRE_FALSE(space.ok());
        CHECK(space.error().file == "space.json");
        CHECK(space.error().code == ExitCode::BadInput);
        CHECK_THAT(space.error().location, Catch::StartsWith(c.location));
        CHECK_THAT(space.error().message, Catch::Contains(c.message));
    }
}
