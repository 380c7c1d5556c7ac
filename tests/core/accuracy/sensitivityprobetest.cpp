// The settings an exploration measures each layer at, before it ranks its points.
#include "core/accuracy/sensitivitymeasure.h"
#include "core/compression/sensitivitytable.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace cdx;

TEST_CASE("an exploration measures each layer at every setting its axes give it", "[accuracy][sensitivity]")
{
    auto project = loadProjectFile(std::string(CDX_PROJECTS_DIR) + "/explore_mnist.json");
    REQUIRE(project.ok());
    auto net = loadProjectNetwork(project.value());
    REQUIRE(net.ok());
    auto space = DesignSpace::fromProject(project.value(), net.value());
    REQUIRE(space.ok());
    const auto probes = explorationProbes(project.value(), net.value(), space.value());
    // Two convolutions and one fully connected layer, each on an axis of 6 weight widths.
    REQUIRE(probes.size() == 3 * 6);
    std::set<std::size_t> layers;
    for (const auto& p : probes) {
        layers.insert(p.layer);
        // The rule is a whole setting a plan reads back: weights at the axis's width, the
        // project's int8 activations kept (they are part of what the point runs).
        nlohmann::ordered_json rule = p.rule;
        rule["index"] = {p.layer, p.layer};
        auto plan = CompressionPlan::fromJson({{"layers", nlohmann::ordered_json::array({rule})}}, "probe");
        INFO(p.tokens << (plan.ok() ? std::string() : plan.error().describe()));
        REQUIRE(plan.ok());
        const LayerCompression s = plan->forLayer(net->layers()[p.layer], static_cast<Dim>(p.layer));
        CHECK(s.activations.bits == 8);
        CHECK(s.activations.format == NumberFormat::Int);
        CHECK_THAT(p.tokens, Catch::Contains("w" + std::to_string(s.weights.bits) + " a8"));
    }
    CHECK(layers.size() == 3);

    // A table of these rows matches the points exactly: a design point's layer setting finds
    // its own row, not a less specific one.
    std::string csv = "layer,setting,accuracy_drop\n*,w3,9\n";
    for (const auto& p : probes)
        csv += net->layers()[p.layer].name + "," + p.tokens + "," + std::to_string(p.layer) + "." + p.tokens.substr(1, 1) + "\n";
    auto table = SensitivityTable::parse(csv, "table.csv");
    REQUIRE(table.ok());
    Genome g(space->axes().size(), 1);  // 3 bits everywhere
    auto plan = CompressionPlan::fromJson(space->apply(project.value(), g).compression, "point");
    REQUIRE(plan.ok());
    const std::size_t fc = probes.back().layer;
    const auto* row = table->find(net->layers()[fc].name, plan->forLayer(net->layers()[fc], static_cast<Dim>(fc)));
    REQUIRE(row != nullptr);
    CHECK(row->drop == Approx(static_cast<double>(fc) + 0.3));
}
