// Real published networks, fetched from the npm registry by the "setup: fetch
// test models" fixture. These tests fail, never skip, when a model is missing.
#include "core/network/attentionblocks.h"
#include "core/onnx/onnximporter.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

using namespace cdx;

namespace {

std::string model(const std::string& file)
{
    const std::string path = std::string(CDX_TEST_MODELS_DIR) + "/" + file;
    INFO("run scripts/fetch-models.sh " << CDX_TEST_MODELS_DIR << " to fetch the test models");
    REQUIRE(std::filesystem::exists(path));
    return path;
}

Network import(const std::string& file, const DimBindings& dims, OnnxImportReport& report)
{
    OnnxImportOptions options;
    options.dims = dims;
    auto net = importOnnxFile(model(file), options, &report);
    INFO((net.ok() ? std::string() : net.error().describe()));
    REQUIRE(net.ok());
    return std::move(net.value());
}

std::int64_t countKind(const Network& net, LayerKind kind)
{
    return std::count_if(net.layers().begin(), net.layers().end(), [&](const Layer& l) { return l.kind == kind; });
}

bool warned(const Network& net, const std::string& fragment)
{
    return std::any_of(net.warnings().begin(), net.warnings().end(),
                       [&](const std::string& w) { return w.find(fragment) != std::string::npos; });
}

}  // namespace

TEST_CASE("BlazeFace (tf2onnx, NHWC input): 37 convolutions, 16 depthwise", "[onnx][models]")
{
    OnnxImportReport report;
    const Network net = import("blazeface_front_128.onnx", {}, report);
    CHECK(net.totals().params == 100'412);
    CHECK(report.storedFloatElements == 100'412);
    CHECK(countKind(net, LayerKind::Conv) == 37);
    std::int64_t depthwise = 0;
    for (const auto& layer : net.layers())
        if (layer.kind == LayerKind::Conv && std::get<ConvParams>(layer.params).groups > 1) {
            ++depthwise;
            CHECK(std::get<ConvParams>(layer.params).groups == layer.inputShapes[0][1]);
        }
    CHECK(depthwise == 16);
    // The NHWC input reaches the first convolution through a transpose.
    CHECK(net.findTensor("input:0")->shape == Shape{1, 128, 128, 3});
    CHECK(net.layers()[0].kind == LayerKind::Transpose);
    // tf2onnx pads channels by concatenating zeros: read as pads.
    CHECK(countKind(net, LayerKind::Pad) > 0);
    CHECK(countKind(net, LayerKind::Other) == 0);
    CHECK(net.outputs().size() == 4);
}

TEST_CASE("Silero VAD (PyTorch, If subgraphs): an LSTM with hidden size 128", "[onnx][models]")
{
    OnnxImportReport report;
    const Network net = import("silero_vad_16k_op15.onnx", {{"sequence", 512}, {"batch", 1}}, report);
    // 309,635 stored floats, of which 66,048 are the fixed STFT basis, counted as the weights of
    // the convolution that applies it.
    CHECK(net.totals().params == 309'635);
    CHECK(report.storedFloatElements == 309'635);
    REQUIRE(countKind(net, LayerKind::Lstm) == 1);
    for (const auto& layer : net.layers())
        if (layer.kind == LayerKind::Lstm)
            CHECK(std::get<RecurrentParams>(layer.params).hidden == 128);
    const Layer* stft = net.findLayer("/model/stft/Conv");
    REQUIRE(stft);
    CHECK(stft->counts.params == 66'048);
    // The If conditions follow from the shapes once batch and sequence are bound; each is reported.
    CHECK(warned(net, "(condition known)"));
    CHECK_FALSE(warned(net, "condition unknown"));
    CHECK(countKind(net, LayerKind::Other) == 0);
}

TEST_CASE("PP-OCRv4 recognition (paddle2onnx, weights in Constant nodes): two attention blocks of width 120",
          "[onnx][models]")
{
    OnnxImportReport report;
    const Network net = import("ppocrv4_rec.onnx", {{"p2o.DynamicDimension.1", 320}, {"batch", 1}}, report);
    CHECK(net.totals().params == 2'690'296);
    CHECK(report.storedFloatElements == 2'690'296);
    const auto blocks = findAttentionBlocks(net);
    REQUIRE(blocks.size() == 2);
    for (const auto& block : blocks) {
        CHECK(block.width == 120);
        CHECK(block.heads == 8);
        CHECK(block.headDim == 15);
    }
    // Decomposed layer norms and hard-swish are recognised.
    CHECK(countKind(net, LayerKind::LayerNorm) == 5);
    std::int64_t hardSwish = 0;
    for (const auto& layer : net.layers())
        if (layer.kind == LayerKind::Activation && std::get<ActivationParams>(layer.params).fn == ActivationFn::HardSwish)
            ++hardSwish;
    CHECK(hardSwish > 0);
    CHECK(net.findTensor(net.outputs()[0])->shape.back() == 6625);
}

TEST_CASE("openWakeWord MLP (PyTorch Gemm, decomposed LayerNorm)", "[onnx][models]")
{
    OnnxImportReport report;
    const Network net = import("oww_hello_deepa_mlp.onnx", {}, report);
    CHECK(net.totals().params == 78'053);
    CHECK(report.storedFloatElements == 78'053);
    CHECK(countKind(net, LayerKind::FullyConnected) == 3);
    CHECK(countKind(net, LayerKind::LayerNorm) == 2);
    CHECK(countKind(net, LayerKind::Reduce) == 0);
    CHECK(net.totals().macs == 2400 * 32 + 32 * 32 + 32);
}

TEST_CASE("dimensions left open default to 1, and a failure that follows says which to set", "[onnx][models]")
{
    auto net = importOnnxFile(model("ppocrv4_rec.onnx"));
    REQUIRE_FALSE(net.ok());
    CHECK_THAT(net.error().message, Catch::Contains("p2o.DynamicDimension.1") && Catch::Contains("--dim"));
}
