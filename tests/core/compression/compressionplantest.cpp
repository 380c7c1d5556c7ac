// Compression plans: reading the project block, resolving a layer's setting from the default
// and the rules, and rejecting settings that cannot be applied (naming the rule).
#include "core/compression/compressionanalyzer.h"
#include "core/compression/compressionplan.h"
#include "core/compression/sensitivitytable.h"
#include "core/zoo/zoo.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>

using namespace cdx;

namespace {

CompressionPlan plan(const std::string& json)
{
    auto p = CompressionPlan::fromJson(nlohmann::ordered_json::parse(json), "plan.json");
    INFO((p.ok() ? std::string() : p.error().describe()));
    REQUIRE(p.ok());
    return std::move(p).value();
}

Error planError(const std::string& json)
{
    auto p = CompressionPlan::fromJson(nlohmann::ordered_json::parse(json), "plan.json");
    REQUIRE_FALSE(p.ok());
    return p.error();
}

Network zooNet(const std::string& name)
{
    auto net = loadZooNetwork(name);
    REQUIRE(net.ok());
    return std::move(net).value();
}

const Layer& layerNamed(const Network& net, const std::string& name)
{
    const Layer* layer = net.findLayer(name);
    REQUIRE(layer);
    return *layer;
}

Dim indexOf(const Network& net, const std::string& name)
{
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        if (net.layers()[i].name == name)
            return static_cast<Dim>(i);
    return -1;
}

}  // namespace

TEST_CASE("rules override the default field by field, a pruning object as a whole", "[compression][plan]")
{
    const CompressionPlan p = plan(R"({
      "default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8},
                  "pruning": {"kind": "unstructured", "density": 0.5}},
      "layers": [
        {"match": "fc*", "weights": {"bits": 12}, "pruning": {"kind": "topk", "group": 16, "k": 2}},
        {"kind": "conv", "weights": {"format": "fp8_e5m2"}, "fast_algorithm": "winograd_f2x3"},
        {"index": [0, 1], "activations": {"bits": 4, "density": 0.6}}
      ]})");
    const Network net = zooNet("vgg16");
    const LayerCompression fc6 = p.forLayer(layerNamed(net, "fc6"), indexOf(net, "fc6"));
    CHECK(fc6.weights.bits == 12);
    CHECK(fc6.weights.format == NumberFormat::Int);
    CHECK(fc6.pruning.kind == PruningKind::TopK);
    CHECK(fc6.pruning.group == 16);
    CHECK(fc6.pruning.k == 2);
    CHECK(fc6.pruningRule == "/compression/layers/0");
    CHECK(fc6.rules == std::vector<std::string>{"default", "/compression/layers/0"});

    const LayerCompression conv1 = p.forLayer(layerNamed(net, "conv1_1"), 0);
    CHECK(conv1.weights.format == NumberFormat::Fp8E5M2);
    CHECK(conv1.weights.bits == 8);  // the format's width
    CHECK(conv1.weights.biasMode == FpBias::Adaptive);
    CHECK(conv1.activations.bits == 4);
    CHECK(conv1.activationDensity == 0.6);
    CHECK(conv1.pruning.kind == PruningKind::Unstructured);
    CHECK(conv1.pruning.density == 0.5);
    CHECK(conv1.fastAlgorithm == FastAlgorithm::WinogradF2x3);

    // The resolved setting, as the reports show it.
    const auto j = fc6.toJson();
    CHECK(j["weights"]["bits"] == 12);
    CHECK(j["pruning"]["kind"] == "topk");
    CHECK(j["pruning"]["group"] == 16);
    CHECK(j["storage"]["format"] == "auto");
    CHECK(j["rules"].size() == 2);
}

TEST_CASE("a rule's match is a name glob or a list of them", "[compression][plan]")
{
    const CompressionPlan p = plan(R"({
      "default": {"weights": {"bits": 8}},
      "layers": [{"match": ["fc6", "conv5_?"], "weights": {"bits": 4}}, {"match": "fc8", "weights": {"bits": 6}}]})");
    const Network net = zooNet("vgg16");
    const auto bits = [&](const std::string& name) { return p.forLayer(layerNamed(net, name), indexOf(net, name)).weights.bits; };
    CHECK(bits("fc6") == 4);
    CHECK(bits("conv5_1") == 4);
    CHECK(bits("conv5_3") == 4);
    CHECK(bits("conv4_1") == 8);  // neither glob
    CHECK(bits("fc7") == 8);
    CHECK(bits("fc8") == 6);
    CHECK(p.unmatchedRules(net).empty());
    // * and ? only: brackets match themselves.
    const CompressionPlan classes = plan(R"({"layers": [{"match": "conv5_[13]", "weights": {"bits": 4}}]})");
    CHECK(classes.unmatchedRules(net) == std::vector<std::string>{"/compression/layers/0"});

    const Error empty = planError(R"({"layers": [{"match": [], "weights": {"bits": 4}}]})");
    CHECK(empty.location == "/compression/layers/0/match");
    const Error notText = planError(R"({"layers": [{"match": ["fc6", 7], "weights": {"bits": 4}}]})");
    CHECK(notText.location.rfind("/compression/layers/0/match", 0) == 0);
}

TEST_CASE("invalid settings are bad input naming the rule", "[compression][plan][errors]")
{
    const Error zeroBits = planError(R"({"layers": [{"match": "*", "weights": {"bits": 0}}]})");
    CHECK(zeroBits.code == ExitCode::BadInput);
    CHECK(zeroBits.file == "plan.json");
    CHECK(zeroBits.location == "/compression/layers/0/weights/bits");

    const Error dense = planError(R"({"layers": [{"kind": "fc", "pruning": {"kind": "unstructured", "density": 1.5}}]})");
    CHECK(dense.location == "/compression/layers/0/pruning/density");
    CHECK_THAT(dense.message, Catch::Contains("(0, 1]"));

    CHECK(planError(R"({"default": {"pruning": {"kind": "topk", "group": 4, "k": 5}}})").location == "/compression/default/pruning/k");
    CHECK(planError(R"({"default": {"pruning": {"kind": "sparse"}}})").message.find("one of none, unstructured") != std::string::npos);
    CHECK(planError(R"({"default": {"pruning": {"kind": "topk", "group": 4, "k": 1, "density": 0.3}}})").message.find("density") !=
          std::string::npos);
    CHECK(planError(R"({"default": {"weights": {"format": "fp8_e4m3", "bits": 6}}})").message.find("8 bits") != std::string::npos);
    CHECK(planError(R"({"default": {"fast_algorithm": "fft"}})").location == "/compression/default/fast_algorithm");
    CHECK(planError(R"({"default": {"storage": {"format": "csc", "index_bits": 0}}})").location ==
          "/compression/default/storage/index_bits");
    CHECK(planError(R"({"layers": [{"weights": {"bits": 4}}]})").location == "/compression/layers/0");
}

TEST_CASE("settings that do not fit a layer's shape are rejected, naming rule and layer", "[compression][plan][errors]")
{
    const Network net = zooNet("lenet300100");  // ip1 784 -> 300, ip2 300 -> 100, ip3 100 -> 10
    const auto blockSize = plan(R"({"layers": [{"match": "ip*", "pruning": {"kind": "circulant", "block_size": 16}}]})").check(net);
    REQUIRE_FALSE(blockSize.ok());
    CHECK(blockSize.error().location == "/compression/layers/0/pruning");
    CHECK_THAT(blockSize.error().message, Catch::Contains("layer ip1") && Catch::Contains("does not divide"));

    // Padding is the documented way out.
    CHECK(plan(R"({"layers": [{"match": "ip*", "pruning": {"kind": "circulant", "block_size": 16, "pad": true}}]})").check(net).ok());

    const auto blocks = plan(R"({"layers": [{"match": "ip3", "pruning": {"kind": "block_diagonal", "blocks": 3}}]})").check(net);
    REQUIRE_FALSE(blocks.ok());
    CHECK_THAT(blocks.error().message, Catch::Contains("layer ip3") && Catch::Contains("3 diagonal blocks"));

    const auto pes = plan(R"({"layers": [{"match": "ip3", "pruning": {"kind": "load_balanced", "density": 0.1, "pes": 64}}]})").check(net);
    REQUIRE_FALSE(pes.ok());
    CHECK_THAT(pes.error().message, Catch::Contains("64 PEs"));

    // A rule matching nothing is a warning, not an error.
    const auto nothing = plan(R"({"layers": [{"match": "conv*", "weights": {"bits": 4}}]})").check(net);
    REQUIRE(nothing.ok());
    REQUIRE(nothing.value().size() == 1);
    CHECK_THAT(nothing.value()[0], Catch::Contains("/compression/layers/0 matches no layer"));
}

TEST_CASE("a fast algorithm that does not apply is a warning per rule", "[compression][plan]")
{
    const Network net = zooNet("resnet18");
    const auto warnings = plan(R"({"layers": [{"kind": "conv", "fast_algorithm": "winograd_f2x3"}]})").check(net);
    REQUIRE(warnings.ok());
    REQUIRE(warnings.value().size() == 1);
    // conv1 is 7x7/2, the downsampling convolutions 1x1 or strided.
    CHECK_THAT(warnings.value()[0], Catch::Contains("does not apply to") && Catch::Contains("computed directly"));
}

TEST_CASE("the sensitivity table gives a layer's drop from its most specific row", "[compression][accuracy]")
{
    auto table = SensitivityTable::parse("layer,setting,accuracy_drop\n"
                                         "# measured on the validation set\n"
                                         "fc*,w8,0.1\n"
                                         "fc*,w8 unstructured density=0.10,0.9\n"
                                         "fc6,\"w4\",2.5\n",
                                         "sens.csv");
    REQUIRE(table.ok());
    CHECK(table->rows().size() == 3);
    LayerCompression s;
    s.weights.bits = 8;
    CHECK(table->find("fc7", s)->drop == 0.1);
    s.pruning.kind = PruningKind::Unstructured;
    s.pruning.density = 0.1;
    CHECK(table->find("fc7", s)->drop == 0.9);
    CHECK(table->find("fc7", s)->line == 4);
    CHECK(table->find("conv1", s) == nullptr);
    s.weights.bits = 4;
    CHECK(table->find("fc6", s)->drop == 2.5);

    const auto badToken = SensitivityTable::parse("layer,setting,accuracy_drop\nfc*,w8 sparse,1\n", "sens.csv");
    REQUIRE_FALSE(badToken.ok());
    CHECK(badToken.error().location == "line 2");
    CHECK_THAT(badToken.error().message, Catch::Contains("\"sparse\""));
    CHECK(SensitivityTable::parse("layer,setting,accuracy_drop\nfc*,w8,lots\n", "s.csv").error().message.find("not a number") !=
          std::string::npos);
    CHECK_FALSE(SensitivityTable::parse("layer,accuracy\n", "s.csv").ok());
}

TEST_CASE("8-bit quantisation of VGG-16 costs under 1% by the proxy; pruning costs more", "[compression][accuracy]")
{
    const Network net = zooNet("vgg16");
    auto eight = analyzeCompression(net, plan(R"({"default": {"weights": {"bits": 8, "format": "fixed"}, "activations": {"bits": 8, "format": "fixed"}}})"));
    REQUIRE(eight.ok());
    CHECK(eight->accuracySource == "proxy");
    CHECK(eight->accuracyDrop > 0);
    CHECK(eight->accuracyDrop < 1.0);  // Aristotle: negligible loss at 8 bits (Guo et al., IEEE Micro 2017)
    auto four = analyzeCompression(net, plan(R"({"default": {"weights": {"bits": 4, "format": "fixed"}, "activations": {"bits": 4, "format": "fixed"}}})"));
    REQUIRE(four.ok());
    CHECK(four->accuracyDrop > 10 * eight->accuracyDrop);
    auto pruned = analyzeCompression(net, plan(R"({"default": {"weights": {"bits": 8, "format": "fixed"}, "activations": {"bits": 8, "format": "fixed"}},
        "layers": [{"match": "fc*", "pruning": {"kind": "unstructured", "density": 0.1}}]})"));
    REQUIRE(pruned.ok());
    CHECK(pruned->accuracyDrop > eight->accuracyDrop);
}

TEST_CASE("an accumulator narrower than an exact sum needs is noted", "[compression][plan]")
{
    const Network net = zooNet("lenet300100");  // ip1: 784 products per output
    auto r = analyzeCompression(net, plan(R"({"default": {"weights": {"bits": 8}, "activations": {"bits": 8}, "accumulator": {"bits": 24}},
        "layers": [{"match": "ip1", "accumulator": {"bits": 16}}]})"));
    REQUIRE(r.ok());
    const auto& ip1 = r->layers[0];
    CHECK(ip1.accumulatorBitsNeeded == 8 + 8 + 10);  // ceil(log2 784) = 10
    REQUIRE_FALSE(ip1.notes.empty());
    CHECK_THAT(ip1.notes[0], Catch::Contains("16-bit accumulator") && Catch::Contains("26 bits"));
    const auto& ip3 = r->layers[4];  // 100 products: 8 + 8 + 7 = 23 <= 24
    CHECK(ip3.accumulatorBitsNeeded == 23);
    for (const auto& note : ip3.notes)
        CHECK(note.find("accumulator") == std::string::npos);
}

TEST_CASE("an \"auto\" accumulator takes the measured width plus its margin", "[compression][plan]")
{
    const Network net = zooNet("lenet300100");
    CompressionPlan p = plan(R"({"default": {"weights": {"bits": 8}, "activations": {"bits": 8}, "accumulator": {"bits": 24}},
        "layers": [{"match": "ip*", "accumulator": {"bits": "auto", "margin_bits": 2}}, {"match": "ip3", "accumulator": {"bits": 20}}]})");
    // Without a measured profile the template chooses (0), and the analysis says so.
    const LayerCompression unprofiled = p.forLayer(net.layers()[0], 0);
    CHECK(unprofiled.accumulatorAuto);
    CHECK(unprofiled.accumulatorMarginBits == 2);
    CHECK(unprofiled.accumulatorBits == 0);
    auto before = analyzeCompression(net, p);
    REQUIRE(before.ok());
    auto accumulatorNote = [](const LayerCompressionReport& layer) {
        for (const auto& note : layer.notes)
            if (note.find("accumulator") != std::string::npos)
                return note;
        return std::string();
    };
    CHECK_THAT(accumulatorNote(before->layers[0]), Catch::Contains("without a measured range"));

    p.accumulatorProfile = {{"ip1", 17}, {"ip2", 14}};
    CHECK(p.forLayer(net.layers()[0], 0).accumulatorBits == 19);
    CHECK(p.forLayer(net.layers()[2], 2).accumulatorBits == 16);
    // A later rule with a number wins over "auto".
    const LayerCompression ip3 = p.forLayer(net.layers()[4], 4);
    CHECK_FALSE(ip3.accumulatorAuto);
    CHECK(ip3.accumulatorBits == 20);
    // The default keeps its 24 bits: it does not say "auto".
    CHECK(p.forLayer(Layer{}, -1).accumulatorBits == 24);
    auto after = analyzeCompression(net, p);
    REQUIRE(after.ok());
    CHECK_THAT(accumulatorNote(after->layers[0]), Catch::Contains("19 bits") && Catch::Contains("needs 26"));
    CHECK(after->layers[0].setting.toJson()["accumulator"]["bits"] == "auto");  // as a project writes it

    // "auto" as the default: the shared datapath takes the widest layer's need.
    CompressionPlan shared = plan(R"({"default": {"accumulator": {"bits": "auto"}}})");
    shared.accumulatorProfile = {{"ip1", 17}, {"ip2", 21}};
    CHECK(shared.forLayer(Layer{}, -1).accumulatorBits == 22);
    CHECK(shared.forLayer(net.layers()[0], 0).accumulatorBits == 18);
    // Settings differ in their cache keys once resolved.
    CHECK(shared.forLayer(net.layers()[0], 0).key() != plan(R"({"default": {"accumulator": {"bits": 18}}})").forLayer(net.layers()[0], 0).key());

    CHECK(planError(R"({"default": {"accumulator": {"bits": "wide"}}})").location == "/compression/default/accumulator/bits");
    CHECK(planError(R"({"default": {"accumulator": {"bits": "auto", "margin_bits": 40}}})").location ==
          "/compression/default/accumulator/margin_bits");
    CHECK(planError(R"({"default": {"accumulator": {"bits": 16, "margin_bits": 1}}})").location ==
          "/compression/default/accumulator/margin_bits");  // a margin only goes with "auto"
}

TEST_CASE("weights that are not finite are counted as zero and reported", "[compression][errors]")
{
    const Network net = zooNet("lenet300100");
    Layer ip3 = net.layers()[4];
    auto values = std::make_shared<std::vector<float>>(1000, 0.5f);
    (*values)[3] = std::numeric_limits<float>::quiet_NaN();
    (*values)[7] = std::numeric_limits<float>::infinity();
    ip3.weightData = {WeightTensor{"weight", {10, 100}, values}};
    LayerCompression s;
    s.pruning.kind = PruningKind::Unstructured;
    s.pruning.density = 0.5;
    const LayerCompressionReport r = analyzeLayer(ip3, 4, s, {});
    CHECK(r.measured);
    CHECK(r.nonFiniteWeights == 2);
    CHECK(r.keptWeights == 500);
    CHECK(std::isfinite(r.prunedEnergy));
    CHECK(std::isfinite(r.weightStats.noiseToSignal));
    CHECK(r.weightStats.maxAbsError == 0);  // 0.5 is the largest code exactly
}
