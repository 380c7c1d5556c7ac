// Compression of real networks' stored weights: MNIST (tests/data), BlazeFace and the openWakeWord
// MLP (fetched by scripts/fetch-models.sh). These tests fail, never skip, when a model is missing.
#include "core/compression/compressionanalyzer.h"
#include "core/compression/pruner.h"
#include "core/compression/weightmatrix.h"
#include "core/onnx/onnximporter.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

using namespace cdx;
using nlohmann::ordered_json;

namespace {

Network load(const std::string& path)
{
    INFO("run scripts/fetch-models.sh " << CDX_TEST_MODELS_DIR << " to fetch the test models");
    REQUIRE(std::filesystem::exists(path));
    auto net = importOnnxFile(path);
    INFO((net.ok() ? std::string() : net.error().describe()));
    REQUIRE(net.ok());
    return std::move(net.value());
}

std::vector<Network> networks()
{
    std::vector<Network> nets;
    nets.push_back(load(std::string(CDX_TEST_DATA_DIR) + "/onnx/mnist.onnx"));
    nets.push_back(load(std::string(CDX_TEST_MODELS_DIR) + "/blazeface_front_128.onnx"));
    nets.push_back(load(std::string(CDX_TEST_MODELS_DIR) + "/oww_hello_deepa_mlp.onnx"));
    return nets;
}

CompressionPlan planOf(const ordered_json& block)
{
    auto plan = CompressionPlan::fromJson(block, "test.json");
    INFO(block.dump() << ": " << (plan.ok() ? std::string() : plan.error().describe()));
    REQUIRE(plan.ok());
    return std::move(plan.value());
}

NetworkCompressionReport analyze(const Network& net, const CompressionPlan& plan)
{
    auto report = analyzeCompression(net, plan);
    INFO(net.name() << ": " << (report.ok() ? std::string() : report.error().describe()));
    REQUIRE(report.ok());
    REQUIRE(report->layers.size() == net.layers().size());
    return std::move(report.value());
}

ordered_json defaults(const ordered_json& pruning, int bits = 8, const char* format = "int")
{
    return {{"default", {{"weights", {{"bits", bits}, {"format", format}}}, {"pruning", pruning}}}};
}

/// A plan with one rule per layer `choose` gives a pruning (null: none), and the layers it set.
template <class Choose>
std::pair<CompressionPlan, std::vector<std::size_t>> perLayerPlan(const Network& net, Choose choose)
{
    ordered_json rules = ordered_json::array();
    std::vector<std::size_t> chosen;
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const auto matrices = weightMatrices(net.layers()[i]);
        if (matrices.size() != 1)
            continue;
        const ordered_json pruning = choose(matrices[0]);
        if (pruning.is_null())
            continue;
        rules.push_back({{"index", i}, {"pruning", pruning}});
        chosen.push_back(i);
    }
    return {planOf({{"layers", rules}}), chosen};
}

/// The first of `options` that divides both the rows and the input channels (0: none does).
Dim divisorOf(const WeightMatrix& m, std::initializer_list<Dim> options, bool inputsToo)
{
    for (Dim d : options)
        if (m.rows % d == 0 && (!inputsToo || (m.cols / m.kernelTaps) % d == 0))
            return d;
    return 0;
}

}  // namespace

TEST_CASE("unstructured pruning of real weights: measured, the requested density per matrix, totals", "[compression][models]")
{
    for (const Network& net : networks()) {
        INFO(net.name());
        const auto report = analyze(net, planOf(defaults({{"kind", "unstructured"}, {"density", 0.3}}, 12)));
        Dim stored = 0, withWeights = 0;
        for (std::size_t i = 0; i < net.layers().size(); ++i) {
            const Layer& layer = net.layers()[i];
            const LayerCompressionReport& l = report.layers[i];
            INFO(layer.name);
            stored += l.storedParams;
            CHECK(l.hasWeights == hasWeightOperand(layer));
            if (!l.hasWeights)
                continue;
            ++withWeights;
            CHECK(l.measured);
            CHECK(l.weightStats.measured);
            Dim dense = 0, kept = 0;
            for (const auto& m : weightMatrices(layer)) {
                dense += m.size();
                kept += std::llround(0.3 * static_cast<double>(m.size()));
            }
            CHECK(l.denseWeights == dense);
            CHECK(l.keptWeights == kept);
            CHECK(l.storage.values - l.storage.paddingZeros == kept);
            CHECK(l.storedParams == kept + layer.counts.params - dense);
            // csc, 12-bit values and 4-bit indices: the papers' count is kept x 16 bits.
            CHECK(l.nominalCompressionRatio == Approx(32.0 * static_cast<double>(dense) / static_cast<double>(16 * kept)));
            CHECK(l.compressionRatio == Approx(32.0 * static_cast<double>(dense) / static_cast<double>(l.storage.totalBits())));
        }
        CHECK(withWeights > 0);
        CHECK(report.storedParams == stored);
        CHECK(report.denseParams == net.totals().params);
    }
}

TEST_CASE("measured weight SQNR rises strictly with the width, int and fixed", "[compression][models]")
{
    for (const Network& net : networks()) {
        for (const char* format : {"int", "fixed"}) {
            INFO(net.name() << " " << format);
            std::vector<double> previous(net.layers().size(), -std::numeric_limits<double>::infinity());
            for (int bits : {2, 4, 6, 8, 12, 16}) {
                const auto report = analyze(net, planOf(defaults("none", bits, format)));
                for (std::size_t i = 0; i < report.layers.size(); ++i) {
                    const LayerCompressionReport& l = report.layers[i];
                    if (!l.hasWeights)
                        continue;
                    INFO(l.layer << " at " << bits << " bits");
                    CHECK(l.weightStats.measured);
                    CHECK(l.weightStats.sqnrDb > previous[i]);
                    previous[i] = l.weightStats.sqnrDb;
                }
            }
        }
    }
}

TEST_CASE("topk and 2:4 on real weights keep exactly k of every group", "[compression][models]")
{
    struct Case {
        ordered_json pruning;
        Dim group, k;
    };
    const std::vector<Case> cases{{{{"kind", "topk"}, {"group", 8}, {"k", 3}}, 8, 3},
                                  {{{"kind", "topk"}, {"group", 16}, {"k", 2}}, 16, 2},
                                  {{{"kind", "nm"}, {"n", 2}, {"m", 4}}, 4, 2}};
    for (const Network& net : networks())
        for (const Case& c : cases) {
            INFO(net.name() << " " << c.pruning.dump());
            const CompressionPlan plan = planOf(defaults(c.pruning));
            const auto report = analyze(net, plan);
            for (std::size_t i = 0; i < net.layers().size(); ++i) {
                const Layer& layer = net.layers()[i];
                Dim kept = 0;
                for (const auto& m : weightMatrices(layer)) {
                    const PruningMask mask = pruneMatrix(m, plan.forLayer(layer, static_cast<Dim>(i)).pruning);
                    for (Dim r = 0; r < m.rows; ++r)
                        for (Dim start = 0; start < m.cols; start += c.group) {
                            const Dim end = std::min(m.cols, start + c.group);
                            Dim inGroup = 0;
                            for (Dim col = start; col < end; ++col)
                                inGroup += mask.keep[static_cast<std::size_t>(r * m.cols + col)];
                            CHECK(inGroup == std::min(c.k, end - start));
                        }
                    kept += m.rows * ((m.cols / c.group) * c.k + std::min(c.k, m.cols % c.group));
                }
                CHECK(report.layers[i].keptWeights == kept);
            }
        }
}

TEST_CASE("block-diagonal pruning of real layers is block diagonal after its permutations", "[compression][models]")
{
    for (const Network& net : networks()) {
        INFO(net.name());
        const auto [plan, chosen] = perLayerPlan(net, [](const WeightMatrix& m) {
            const Dim b = divisorOf(m, {4, 2}, true);
            return b > 0 ? ordered_json{{"kind", "block_diagonal"}, {"blocks", b}} : ordered_json();
        });
        CHECK_FALSE(chosen.empty());
        const auto report = analyze(net, plan);
        for (std::size_t i : chosen) {
            const Layer& layer = net.layers()[i];
            INFO(layer.name);
            const WeightMatrix m = weightMatrices(layer)[0];
            const PruningSpec spec = plan.forLayer(layer, static_cast<Dim>(i)).pruning;
            const Dim b = spec.blocks;
            const PruningMask mask = pruneMatrix(m, spec);
            REQUIRE(mask.rowOrder.size() == static_cast<std::size_t>(m.rows));
            REQUIRE(mask.colOrder.size() == static_cast<std::size_t>(m.cols));
            Dim offDiagonal = 0, missing = 0;
            for (Dim r = 0; r < m.rows; ++r)
                for (Dim c = 0; c < m.cols; ++c) {
                    const bool inBlock = r / (m.rows / b) == c / (m.cols / b);
                    const bool keep = mask.keep[static_cast<std::size_t>(mask.rowOrder[static_cast<std::size_t>(r)] * m.cols +
                                                                         mask.colOrder[static_cast<std::size_t>(c)])];
                    offDiagonal += keep && !inBlock;
                    missing += !keep && inBlock;
                }
            CHECK(offDiagonal == 0);
            CHECK(missing == 0);
            CHECK(report.layers[i].keptWeights == m.size() / b);
            CHECK(report.layers[i].effect.structuralGroups == b);
        }
    }
}

TEST_CASE("load-balanced pruning of real layers over PEs that divide the rows: imbalance exactly 1", "[compression][models]")
{
    for (const Network& net : networks()) {
        INFO(net.name());
        const auto [plan, chosen] = perLayerPlan(net, [](const WeightMatrix& m) {
            const Dim pes = divisorOf(m, {8, 4, 2}, false);
            return pes > 0 ? ordered_json{{"kind", "load_balanced"}, {"density", 0.25}, {"pes", pes}} : ordered_json();
        });
        CHECK_FALSE(chosen.empty());
        const auto report = analyze(net, plan);
        for (std::size_t i : chosen) {
            const LayerCompressionReport& l = report.layers[i];
            const WeightMatrix m = weightMatrices(net.layers()[i])[0];
            INFO(l.layer << " over " << l.setting.pruning.pes << " PEs");
            CHECK(l.effect.pes == l.setting.pruning.pes);
            CHECK(l.effect.imbalance == 1.0);
            const Dim pes = l.setting.pruning.pes;
            CHECK(l.keptWeights == pes * std::llround(0.25 * static_cast<double>(m.size()) / static_cast<double>(pes)));
        }
    }
}

TEST_CASE("plans that cannot apply are rejected with the rule's path", "[compression][models]")
{
    const Network mnist = load(std::string(CDX_TEST_DATA_DIR) + "/onnx/mnist.onnx");
    auto rule = [](const ordered_json& setting) {
        ordered_json r = {{"match", "*"}};
        r.update(setting);
        return ordered_json{{"layers", {r}}};
    };
    const auto zeroBits = CompressionPlan::fromJson(rule({{"weights", {{"bits", 0}}}}), "test.json");
    REQUIRE_FALSE(zeroBits.ok());
    CHECK(zeroBits.error().file == "test.json");
    CHECK(zeroBits.error().location == "/compression/layers/0/weights/bits");

    const auto tooDense = CompressionPlan::fromJson(rule({{"pruning", {{"kind", "unstructured"}, {"density", 1.5}}}}), "test.json");
    REQUIRE_FALSE(tooDense.ok());
    CHECK(tooDense.error().location == "/compression/layers/0/pruning/density");

    // conv1 is 8 x 25: a block of 8 does not divide its columns.
    const CompressionPlan circulant = planOf(rule({{"pruning", {{"kind", "circulant"}, {"block_size", 8}}}}));
    const auto rejected = analyzeCompression(mnist, circulant);
    REQUIRE_FALSE(rejected.ok());
    CHECK(rejected.error().file == "test.json");
    CHECK(rejected.error().location == "/compression/layers/0/pruning");
    CHECK(rejected.error().message.find(mnist.layers()[0].name) != std::string::npos);
    // Padding makes the same plan apply.
    const CompressionPlan padded = planOf(rule({{"pruning", {{"kind", "circulant"}, {"block_size", 8}, {"pad", true}}}}));
    CHECK(analyzeCompression(mnist, padded).ok());
}
