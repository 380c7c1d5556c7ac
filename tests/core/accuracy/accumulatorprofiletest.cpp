// Accumulator profiling: the widths a measured run gives "accumulator": {"bits": "auto"}, checked
// against integer sums computed here, by hand, from the quantised codes.
#include "core/accuracy/accumulatorprofile.h"
#include "core/accuracy/accuracyrunner.h"
#include "core/accuracy/dataset.h"
#include "core/compression/weightcompressor.h"
#include "core/onnx/onnximporter.h"
#include "tests/core/accuracy/mnisttesting.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

using namespace cdx;
using nlohmann::ordered_json;

namespace {

const std::string& kModel = test::kMnistModel;
using test::mnist;

CompressionPlan autoPlan(const char* granularity)
{
    const ordered_json block = {{"default",
                                 {{"weights", {{"bits", 8}, {"granularity", granularity}}},
                                  {"activations", {{"bits", 8}}},
                                  {"accumulator", {{"bits", "auto"}}}}}};
    auto plan = CompressionPlan::fromJson(block, "test.json");
    REQUIRE(plan.ok());
    return plan.value();
}

std::size_t firstConv(const Network& net)
{
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        if (net.layers()[i].kind == LayerKind::Conv)
            return i;
    FAIL("MNIST has a convolution");
    return 0;
}

}  // namespace

TEST_CASE("signed widths hold the largest code", "[accuracy][accumulator]")
{
    CHECK(signedBitsFor(0) == 2);
    CHECK(signedBitsFor(1) == 2);     // -2..1 holds 1
    CHECK(signedBitsFor(127) == 8);
    CHECK(signedBitsFor(128) == 9);
    CHECK(signedBitsFor(127.0000001) == 8);  // float rounding of an integer sum
    CHECK(signedBitsFor(1e6) == 21);  // 2^20 = 1048576 > 1e6
}

TEST_CASE("the tally divides each channel by its own weight step", "[accuracy][accumulator]")
{
    AccumulatorProbe probe;
    probe.channelAxis = 1;
    probe.inverseWeightStep = {1.0 / 0.5, 1.0 / 0.01};
    // [N=1, C=2, 3]: channel 0 peaks at 4 (8 codes), channel 1 at 0.3 (30 codes).
    const std::vector<float> y{1, -4, 2, 0.3f, -0.1f, 0.2f};
    AccumulatorTally tally;
    tally.add(probe, y.data(), {1, 2, 3});
    CHECK(tally.maxScaled == Approx(30).epsilon(1e-6));
    const AccumulatorNeed need = accumulatorNeed(probe, tally, 0.1);  // input step 0.1: 300 codes
    CHECK(need.maxAbs == Approx(300).epsilon(1e-6));
    CHECK(need.bits == 10);
    // Last-axis channels ([N, C], fully connected) are the same axis here; a rank-3 [1, 3, 2]
    // tensor with the last axis: channel 1 is every second value.
    probe.channelAxis = 2;
    AccumulatorTally last;
    last.add(probe, y.data(), {1, 3, 2});  // pairs (1,-4) (2,0.3) (-0.1,0.2): c0 peak 2 -> 4, c1 peak 4 -> 400
    CHECK(last.maxScaled == Approx(400).epsilon(1e-6));
}

TEST_CASE("probes cover the integer MAC layers whose accumulator is \"auto\"", "[accuracy][accumulator]")
{
    const Network net = mnist();
    const auto probes = accumulatorProbes(net, autoPlan("channel"));
    std::size_t macs = 0;
    for (const auto& layer : net.layers())
        macs += layer.kind == LayerKind::Conv || layer.kind == LayerKind::FullyConnected;
    REQUIRE(probes.size() == macs);
    const std::size_t conv = firstConv(net);
    CHECK(probes[0].layerIndex == conv);
    CHECK(probes[0].channelAxis == 1);
    CHECK(probes[0].inverseWeightStep.size() == 8);  // per channel: conv1's 8 filters
    CHECK(probes[0].input == net.layers()[conv].inputs[0]);
    // The MatMul reads the second pool's output through a Reshape: the probe looks through it.
    const auto& fc = probes.back();
    CHECK(net.findTensor(fc.input)->producer >= 0);
    CHECK(net.layers()[static_cast<std::size_t>(net.findTensor(fc.input)->producer)].kind == LayerKind::Pool);
    CHECK(accumulatorProbes(net, autoPlan("tensor"))[0].inverseWeightStep.size() == 1);

    // fp8 weights have no integer accumulator; a plan without "auto" profiles nothing.
    auto fp8 = CompressionPlan::fromJson({{"default", {{"weights", {{"format", "fp8_e4m3"}}}, {"accumulator", {{"bits", "auto"}}}}}}, "t.json");
    REQUIRE(fp8.ok());
    CHECK(accumulatorProbes(net, fp8.value()).empty());
    auto fixed = CompressionPlan::fromJson({{"default", {{"weights", {{"bits", 8}}}}}}, "t.json");
    REQUIRE(fixed.ok());
    CHECK(accumulatorProbes(net, fixed.value()).empty());
}

TEST_CASE("a measured run's accumulator range is the integer sums computed by hand", "[accuracy][accumulator]")
{
    const Network net = mnist();
    const CompressionPlan plan = autoPlan("channel");
    const ordered_json block = {{"dataset", {{"format", "idx"}, {"data", "datasets/mnist20-images-idx3-ubyte"}}},
                                {"metric", "agreement"}, {"samples", 15}, {"calibration", 5}};
    auto spec = AccuracySpec::fromJson(block, std::string(CDX_TEST_DATA_DIR) + "/project.json");
    REQUIRE(spec.ok());
    AccuracyOptions options;
    options.floatCache = false;
    auto report = measureAccuracy(net, kModel, plan, spec.value(), options);
    INFO((report.ok() ? std::string() : report.error().describe()));
    REQUIRE(report.ok());
    REQUIRE(report->accumulators.size() == 3);  // both convolutions and the fully connected layer

    // The first convolution by hand: 8 filters of 5 x 5 over the 28 x 28 digit, padded by 2
    // (SAME), in codes: weight codes per output channel, pixel codes at the int8 step that the
    // 15 evaluated digits' largest pixel gives (the graph input is not quantised by the plan,
    // so the layer's own 8-bit format is fitted to what reaches it), and the bias the model
    // adds right after (the importer folds that Add into the layer), which the accumulator
    // starts from.
    const std::size_t conv = firstConv(net);
    const Layer& layer = net.layers()[conv];
    REQUIRE(layer.outputShapes[0] == Shape{1, 8, 28, 28});
    const LayerCompression setting = plan.forLayer(layer, static_cast<Dim>(conv));
    const auto compressed = compressLayerWeights(layer, setting);
    REQUIRE(compressed[0].matrix.rows == 8);
    REQUIRE(compressed[0].matrix.cols == 25);
    auto digits = loadDataset(spec->dataset, 5, 15);
    REQUIRE(digits.ok());
    float brightest = 0;
    for (float v : digits->values)
        brightest = std::max(brightest, std::fabs(v));
    const double pixelStep = brightest / 127.0;
    const auto bias = std::find_if(layer.weightData.begin(), layer.weightData.end(), [](const WeightTensor& w) { return w.role == "bias"; });
    REQUIRE(bias != layer.weightData.end());
    REQUIRE(bias->values->size() == 8);
    double largest = 0;
    for (std::int64_t d = 0; d < digits->count; ++d) {
        const auto image = digits->sample(d);
        for (int c = 0; c < 8; ++c) {
            const double weightStep = compressed[0].quant[static_cast<std::size_t>(c)].scale;
            for (int y = 0; y < 28; ++y)
                for (int x = 0; x < 28; ++x) {
                    double sum = (*bias->values)[static_cast<std::size_t>(c)] / (weightStep * pixelStep);
                    for (int ky = 0; ky < 5; ++ky)
                        for (int kx = 0; kx < 5; ++kx) {
                            const int iy = y + ky - 2, ix = x + kx - 2;
                            if (iy < 0 || iy >= 28 || ix < 0 || ix >= 28)
                                continue;
                            const double code = std::round(compressed[0].matrix.values[static_cast<std::size_t>(c * 25 + ky * 5 + kx)] / weightStep);
                            sum += code * image[static_cast<std::size_t>(iy * 28 + ix)] / pixelStep;
                        }
                    largest = std::max(largest, std::fabs(sum));
                }
        }
    }
    const AccumulatorNeed& first = report->accumulators[0];
    CHECK(first.layer == layer.name);
    CHECK(first.maxAbs == Approx(largest).epsilon(1e-5));
    CHECK(first.bits == signedBitsFor(largest));
    CHECK(first.bits < first.exactBits);  // real digits stay well inside the worst case

    // Every profiled width sits below the exact bound, and the plan takes it plus the margin.
    CompressionPlan profiled = plan;
    for (const auto& a : report->accumulators) {
        CHECK(a.bits >= 2);
        CHECK(a.bits <= a.exactBits);
        profiled.accumulatorProfile[a.layer] = a.bits;
    }
    CHECK(profiled.forLayer(layer, static_cast<Dim>(conv)).accumulatorBits == first.bits + 1);
}
