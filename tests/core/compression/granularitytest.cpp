// Per-channel quantisation: the plan's "granularity", its default (channel for int weights),
// its errors, its cost in scale bits, and its error against per tensor on real weights.
#include "core/compression/compressionanalyzer.h"
#include "core/compression/compressionplan.h"
#include "core/compression/sensitivitytable.h"
#include "core/compression/weightcompressor.h"
#include "core/onnx/onnximporter.h"

#include "realmodels.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

using namespace cdx;
using nlohmann::ordered_json;

namespace {

using test::mnist;

CompressionPlan plan(const ordered_json& block)
{
    auto p = CompressionPlan::fromJson(block, "plan.json");
    INFO((p.ok() ? std::string() : p.error().describe()));
    REQUIRE(p.ok());
    return std::move(p).value();
}

Error planError(const std::string& json)
{
    auto p = CompressionPlan::fromJson(ordered_json::parse(json), "plan.json");
    REQUIRE_FALSE(p.ok());
    return p.error();
}

NetworkCompressionReport analyze(const Network& net, const ordered_json& block)
{
    auto r = analyzeCompression(net, plan(block));
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    return std::move(r).value();
}

ordered_json int8(const char* granularity)
{
    return {{"default", {{"weights", {{"bits", 8}, {"format", "int"}, {"granularity", granularity}}}}}};
}

/// Per layer and in total, per-channel int8 is at least as good as per tensor; returns the total
/// SQNRs (per tensor, per channel) over the layers' kept weights.
std::pair<double, double> comparePerChannel(const Network& net)
{
    const auto tensor = analyze(net, int8("tensor"));
    const auto channel = analyze(net, int8("channel"));
    double tensorNoise = 0, channelNoise = 0;
    int measured = 0;
    for (std::size_t i = 0; i < tensor.layers.size(); ++i) {
        const auto& t = tensor.layers[i];
        const auto& c = channel.layers[i];
        if (!t.measured)
            continue;
        INFO(net.name() << " " << t.layer << ": per tensor " << t.weightStats.sqnrDb << " dB, per channel " << c.weightStats.sqnrDb << " dB");
        CHECK(c.weightStats.sqnrDb >= t.weightStats.sqnrDb);
        tensorNoise += t.weightStats.noiseToSignal;
        channelNoise += c.weightStats.noiseToSignal;
        ++measured;
    }
    CHECK(measured > 0);
    CHECK(channelNoise < tensorNoise);
    const double tensorDb = -10 * std::log10(tensorNoise / measured), channelDb = -10 * std::log10(channelNoise / measured);
    UNSCOPED_INFO(net.name() << ": mean noise-to-signal per tensor " << tensorDb << " dB, per channel " << channelDb << " dB");
    return {tensorDb, channelDb};
}

}  // namespace

TEST_CASE("int weights default to per-channel, other formats and activations to per tensor", "[compression][granularity]")
{
    const Network net = mnist();
    const Layer& layer = net.layers().front();
    CHECK(plan(ordered_json::object()).forLayer(layer, 0).weights.granularity == QuantGranularity::Channel);
    CHECK(plan(ordered_json::object()).forLayer(layer, 0).activations.granularity == QuantGranularity::Tensor);
    CHECK(plan(int8("tensor")).forLayer(layer, 0).weights.granularity == QuantGranularity::Tensor);
    const ordered_json fp8 = {{"default", {{"weights", {{"format", "fp8_e4m3"}}}}}};
    CHECK(plan(fp8).forLayer(layer, 0).weights.granularity == QuantGranularity::Tensor);
    const ordered_json fp8Channel = {{"default", {{"weights", {{"format", "fp8_e4m3"}, {"granularity", "channel"}}}}}};
    CHECK(plan(fp8Channel).forLayer(layer, 0).weights.granularity == QuantGranularity::Channel);
    // A rule that makes the weights fp16 under a per-channel default: fp16 has no per-channel fit.
    const ordered_json fp16 = {{"default", {{"weights", {{"granularity", "channel"}}}}},
                               {"layers", {{{"index", 0}, {"weights", {{"format", "fp16"}}}}}}};
    CHECK(plan(fp16).forLayer(layer, 0).weights.granularity == QuantGranularity::Tensor);
    // A later rule's explicit choice wins over the default's.
    const ordered_json later = {{"layers", {{{"index", 0}, {"weights", {{"granularity", "tensor"}}}}}}};
    CHECK(plan(later).forLayer(layer, 0).weights.granularity == QuantGranularity::Tensor);
}

TEST_CASE("granularity appears in the setting's JSON, description, key and sensitivity tokens", "[compression][granularity]")
{
    const Network net = mnist();
    const Layer& layer = net.layers().front();
    const LayerCompression channel = plan(ordered_json::object()).forLayer(layer, 0);
    const LayerCompression tensor = plan(int8("tensor")).forLayer(layer, 0);
    CHECK(channel.describe().rfind("w8 int/ch, a8 int", 0) == 0);
    CHECK(tensor.describe().rfind("w8 int, a8 int", 0) == 0);
    CHECK(channel.key() != tensor.key());
    CHECK(channel.toJson()["weights"]["granularity"] == "channel");
    CHECK(tensor.toJson()["weights"]["granularity"] == "tensor");
    CHECK(channel.toJson()["activations"]["granularity"] == "tensor");

    // Round trip: the resolved weights and activations as a default give the same setting, byte for byte.
    for (const LayerCompression& s : {channel, tensor}) {
        ordered_json activations = s.toJson()["activations"];
        ordered_json block = {{"default", {{"weights", s.toJson()["weights"]}, {"activations", activations}}}};
        const std::string once = plan(block).forLayer(layer, 0).toJson().dump();
        CHECK(once == s.toJson().dump());
    }

    const auto tokens = settingTokens(channel);
    CHECK(std::find(tokens.begin(), tokens.end(), "granularity=channel") != tokens.end());
    auto table = SensitivityTable::parse("layer,setting,accuracy_drop\n*,w8 granularity=tensor,2.5\n*,w8 granularity=channel,0.5\n", "t.csv");
    REQUIRE(table.ok());
    REQUIRE(table->find(layer.name, channel));
    CHECK(table->find(layer.name, channel)->drop == 0.5);
    CHECK(table->find(layer.name, tensor)->drop == 2.5);
    CHECK_FALSE(SensitivityTable::parse("layer,setting,accuracy_drop\n*,granularity=row,1\n", "t.csv").ok());
}

TEST_CASE("an unknown granularity, or per-channel activations, is bad input naming the JSON path", "[compression][granularity][errors]")
{
    const Error unknown = planError(R"({"default": {"weights": {"granularity": "row"}}})");
    CHECK(unknown.code == ExitCode::BadInput);
    CHECK(unknown.file == "plan.json");
    CHECK(unknown.location == "/compression/default/weights/granularity");
    CHECK_THAT(unknown.message, Catch::Contains("\"channel\" or \"tensor\""));
    const Error activations = planError(R"({"layers": [{"index": 0, "activations": {"granularity": "channel"}}]})");
    CHECK(activations.location == "/compression/layers/0/activations/granularity");
    CHECK(planError(R"({"default": {"weights": {"granularity": 1}}})").location == "/compression/default/weights/granularity");
    CHECK(plan(ordered_json::parse(R"({"default": {"activations": {"granularity": "tensor"}}})")).defaults.activations.granularity ==
          QuantGranularity::Tensor);
}

TEST_CASE("per-channel scales are stored metadata: 32 bits a row, plus the zero point when asymmetric", "[compression][granularity]")
{
    const Network net = mnist();
    const auto tensor = analyze(net, int8("tensor"));
    const auto channel = analyze(net, int8("channel"));
    ordered_json asymmetric = int8("channel");
    asymmetric["default"]["weights"]["symmetric"] = false;
    const auto asym = analyze(net, asymmetric);
    ordered_json fixed = int8("channel");
    fixed["default"]["weights"]["format"] = "fixed";
    const auto fixedChannel = analyze(net, fixed);
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const auto matrices = weightMatrices(net.layers()[i]);
        if (matrices.empty())
            continue;
        const Dim rows = matrices[0].rows;
        CHECK(tensor.layers[i].storage.scaleBits == 0);
        CHECK(channel.layers[i].storage.scaleBits == rows * 32);
        CHECK(channel.layers[i].storage.totalBits() == tensor.layers[i].storage.totalBits() + rows * 32);
        CHECK(channel.layers[i].effect.weightMetadataBits == tensor.layers[i].effect.weightMetadataBits + rows * 32);
        CHECK(asym.layers[i].storage.scaleBits == rows * (32 + 8));
        CHECK(fixedChannel.layers[i].storage.scaleBits == rows * 8);
    }
    CHECK(channel.storedWeightBits > tensor.storedWeightBits);
}

TEST_CASE("per channel fits each row on its kept weights; a fully pruned row is exact zero", "[compression][granularity]")
{
    const Network net = mnist();
    LayerCompression s;
    s.weights.granularity = QuantGranularity::Channel;
    s.pruning.kind = PruningKind::Channel;
    s.pruning.keep = 0.5;
    for (const Layer& layer : net.layers()) {
        const auto matrices = weightMatrices(layer);
        if (matrices.empty())
            continue;
        const WeightMatrix& m = matrices[0];
        const PruningMask mask = pruneMatrix(m, s.pruning);
        const auto c = compressLayerWeights(layer, s);
        REQUIRE(c[0].quant.size() == static_cast<std::size_t>(m.rows));
        Dim emptyRows = 0;
        for (Dim r = 0; r < m.rows; ++r) {
            double maxAbs = 0, maxQ = 0;
            bool kept = false;
            for (Dim col = 0; col < m.cols; ++col) {
                const auto i = static_cast<std::size_t>(r * m.cols + col);
                kept = kept || mask.keep[i];
                maxAbs = std::max(maxAbs, mask.keep[i] ? std::fabs(static_cast<double>(m.values[i])) : 0.0);
                maxQ = std::max(maxQ, std::fabs(static_cast<double>(c[0].matrix.values[i])));
            }
            if (!kept) {
                CHECK(maxQ == 0.0);
                ++emptyRows;
            } else {
                // Symmetric int: the row's largest magnitude is the largest code of its own scale.
                CHECK(c[0].quant[static_cast<std::size_t>(r)].scale == Approx(maxAbs / 127).epsilon(1e-6));
                CHECK(maxQ == Approx(maxAbs).epsilon(1e-6));
            }
        }
        CHECK(emptyRows > 0);
    }
}

TEST_CASE("fp8 per channel scales each row's largest magnitude onto the format's largest value", "[compression][granularity]")
{
    const Network net = mnist();
    LayerCompression s;
    s.weights.format = NumberFormat::Fp8E4M3;
    s.weights.bits = 8;
    s.weights.biasMode = FpBias::Adaptive;
    s.weights.granularity = QuantGranularity::Channel;
    for (const Layer& layer : net.layers()) {
        const auto matrices = weightMatrices(layer);
        if (matrices.empty())
            continue;
        const WeightMatrix& m = matrices[0];
        const auto c = compressLayerWeights(layer, s);
        for (Dim r = 0; r < m.rows; ++r) {
            double maxAbs = 0;
            for (float v : m.row(r))
                maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(v)));
            const QuantParams& p = c[0].quant[static_cast<std::size_t>(r)];
            CHECK(p.bias == 7);
            CHECK(p.highest == Approx(maxAbs).epsilon(1e-12));
            CHECK(p.scale == Approx(maxAbs / 448).epsilon(1e-12));
        }
    }
}

TEST_CASE("per-channel int8 is never worse than per tensor on MNIST's layers, and better in total", "[compression][granularity]")
{
    const auto [tensorDb, channelDb] = comparePerChannel(mnist());
    CHECK(channelDb > tensorDb);
}

// One test per fetched model, with the dimensions their files leave open (as realModels()).
TEST_CASE("per-channel int8 is never worse than per tensor on BlazeFace's layers, and better in total", "[compression][granularity][models]")
{
    const auto [tensorDb, channelDb] = comparePerChannel(test::loadModel(std::string(CDX_TEST_MODELS_DIR) + "/blazeface_front_128.onnx"));
    CHECK(channelDb > tensorDb);
}

TEST_CASE("per-channel int8 is never worse than per tensor on Silero VAD's layers, and better in total", "[compression][granularity][models]")
{
    const auto [tensorDb, channelDb] = comparePerChannel(
        test::loadModel(std::string(CDX_TEST_MODELS_DIR) + "/silero_vad_16k_op15.onnx", {{"sequence", 512}, {"batch", 1}}));
    CHECK(channelDb > tensorDb);
}

TEST_CASE("per-channel int8 is never worse than per tensor on PP-OCRv4 recognition's layers, and better in total",
          "[compression][granularity][models]")
{
    const auto [tensorDb, channelDb] = comparePerChannel(
        test::loadModel(std::string(CDX_TEST_MODELS_DIR) + "/ppocrv4_rec.onnx", {{"p2o.DynamicDimension.1", 320}, {"batch", 1}}));
    CHECK(channelDb > tensorDb);
}

TEST_CASE("per-channel int8 is never worse than per tensor on openWakeWord hello_deepa's layers, and better in total",
          "[compression][granularity][models]")
{
    const auto [tensorDb, channelDb] = comparePerChannel(test::loadModel(std::string(CDX_TEST_MODELS_DIR) + "/oww_hello_deepa_mlp.onnx"));
    CHECK(channelDb > tensorDb);
}
