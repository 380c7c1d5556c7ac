// Measured accuracy of the real MNIST network (tests/data/onnx/mnist.onnx) on the real MNIST test
// set (fetched by scripts/fetch-deps.sh into ~/.cache/cdx-deps/data) with ONNX Runtime.
#include "core/accuracy/accuracyrunner.h"
#include "core/accuracy/dataset.h"
#include "core/accuracy/modelrewriter.h"
#include "core/compression/weightcompressor.h"
#include "core/onnx/onnximporter.h"
#include "tests/core/accuracy/mnisttesting.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

using namespace cdx;
using nlohmann::ordered_json;

namespace {

const std::string& kModel = test::kMnistModel;
using test::mnist;

CompressionPlan planOf(const ordered_json& defaults, const ordered_json& layers = ordered_json::array())
{
    auto plan = CompressionPlan::fromJson({{"default", defaults}, {"layers", layers}}, "test.json");
    INFO((plan.ok() ? std::string() : plan.error().describe()));
    REQUIRE(plan.ok());
    return plan.value();
}

ordered_json operands(int weightBits, const char* weightFormat, int activationBits, const char* activationFormat)
{
    return {{"weights", {{"bits", weightBits}, {"format", weightFormat}}}, {"activations", {{"bits", activationBits}, {"format", activationFormat}}}};
}

/// The MNIST test set, evaluated whole; calibration on the first digits of the training set.
AccuracySpec mnistSpec(std::int64_t samples)
{
    const ordered_json block = {
        {"dataset", {{"format", "idx"}, {"data", "${CDX_DATA}/mnist/t10k-images-idx3-ubyte"}, {"labels", "${CDX_DATA}/mnist/t10k-labels-idx1-ubyte"}}},
        {"calibration_dataset", {{"format", "idx"}, {"data", "${CDX_DATA}/mnist/train-images-idx3-ubyte"}, {"labels", "${CDX_DATA}/mnist/train-labels-idx1-ubyte"}}},
        {"metric", "top1"}, {"samples", samples}, {"calibration", 500}};
    auto spec = AccuracySpec::fromJson(block, std::string(CDX_TEST_DATA_DIR) + "/project.json");
    INFO((spec.ok() ? std::string() : spec.error().describe()));
    REQUIRE(spec.ok());
    return spec.value();
}

std::shared_ptr<const AccuracySession> openSession(const Network& net, std::int64_t samples)
{
    INFO("scripts/fetch-deps.sh fetches ONNX Runtime and the MNIST test set");
    auto session = AccuracySession::open(net, kModel, mnistSpec(samples));
    INFO((session.ok() ? std::string() : session.error().describe()));
    REQUIRE(session.ok());
    return session.value();
}

AccuracyReport measure(const AccuracySession& session, const CompressionPlan& plan)
{
    auto r = session.measure(plan);
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    return r.value();
}

}  // namespace

TEST_CASE("MNIST: float top-1 on the 10,000 test digits is what ONNX Runtime gives the unmodified model", "[accuracy][models]")
{
    const Network net = mnist();
    const auto session = openSession(net, 10000);
    REQUIRE(session->samples() == 10000);
    // 9,891 of 10,000: the model zoo's mnist-8 on the raw 0..255 pixels.
    CHECK(session->floatMetric() == Approx(98.91).margin(1e-9));

    SECTION("fp32 and density 1.0 reproduce float exactly")
    {
        const auto r = measure(*session, planOf(operands(32, "fp32", 32, "fp32"), ordered_json::array({{{"match", "*"}, {"pruning", {{"kind", "unstructured"}, {"density", 1.0}}}}})));
        CHECK(r.compressedTop1 == r.floatTop1);
        CHECK(r.agreement == 100.0);
        CHECK(std::isinf(r.outputSqnrDb));
        CHECK(r.dropPp == 0.0);
    }
    SECTION("16-bit int weights and activations keep every decision of the float network")
    {
        const auto r = measure(*session, planOf(operands(16, "int", 16, "int")));
        CHECK(r.dropPp == 0.0);
        CHECK(r.agreement == 100.0);
        // Finer, but not 48 dB finer than 8 bits: activations beyond the range calibrated on
        // 500 training digits clip at any width.
        const auto eight = measure(*session, planOf(operands(8, "int", 8, "int")));
        CHECK(r.outputSqnrDb > eight.outputSqnrDb + 10);
    }
    SECTION("8-bit int weights and activations stay within 0.3 pp, per channel and per tensor")
    {
        const auto perChannel = measure(*session, planOf(operands(8, "int", 8, "int")));
        CHECK(std::fabs(perChannel.dropPp) <= 0.3);
        auto tensor = operands(8, "int", 8, "int");
        tensor["weights"]["granularity"] = "tensor";
        const auto perTensor = measure(*session, planOf(tensor));
        CHECK(std::fabs(perTensor.dropPp) <= 0.3);
        CHECK(perChannel.replacedTensors == 3);
    }
}

TEST_CASE("MNIST: accuracy falls as bits and density fall", "[accuracy][models]")
{
    const Network net = mnist();
    const auto session = openSession(net, 2000);
    std::vector<double> byBits;
    for (int bits : {8, 4, 3, 2})
        byBits.push_back(measure(*session, planOf(operands(bits, "int", 32, "fp32"))).compressedTop1);
    INFO("int weights 8, 4, 3, 2 bits: " << byBits[0] << " " << byBits[1] << " " << byBits[2] << " " << byBits[3]);
    for (std::size_t i = 1; i < byBits.size(); ++i)
        CHECK(byBits[i] <= byBits[i - 1] + 0.1);  // within a couple of digits' noise
    CHECK(byBits.back() < byBits.front() - 5);     // two-bit weights without retraining lose clearly
    std::vector<double> byDensity;
    for (double density : {1.0, 0.5, 0.2, 0.05}) {
        auto s = operands(32, "fp32", 32, "fp32");
        s["pruning"] = {{"kind", "unstructured"}, {"density", density}};
        byDensity.push_back(measure(*session, planOf(s)).compressedTop1);
    }
    INFO("densities 1, 0.5, 0.2, 0.05: " << byDensity[0] << " " << byDensity[1] << " " << byDensity[2] << " " << byDensity[3]);
    for (std::size_t i = 1; i < byDensity.size(); ++i)
        CHECK(byDensity[i] <= byDensity[i - 1] + 0.1);
    CHECK(byDensity.back() < byDensity.front() - 5);
}

TEST_CASE("the model ONNX Runtime runs holds exactly the weights cdx compress computes", "[accuracy]")
{
    const Network net = mnist();
    auto s = operands(4, "int", 8, "int");
    s["pruning"] = {{"kind", "unstructured"}, {"density", 0.5}};
    const CompressionPlan plan = planOf(s, ordered_json::array({{{"kind", "fc"}, {"weights", {{"bits", 3}, {"format", "log2"}}}}}));
    auto bytes = compressedModelBytes(net, kModel, plan);
    REQUIRE(bytes.ok());
    const auto path = std::filesystem::temp_directory_path() / "cdx_accuracytest_compressed.onnx";
    {
        std::ofstream out(path, std::ios::binary);
        out << bytes.value();
    }
    // Read back: the rewritten model's weights, as the importer sees them, are the compressed values.
    auto back = importOnnxFile(path.string());
    std::filesystem::remove(path);
    REQUIRE(back.ok());
    int compared = 0;
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const Layer& original = net.layers()[i];
        if (!hasWeightOperand(original))
            continue;
        const Layer* read = back->findLayer(original.name);
        REQUIRE(read != nullptr);
        const auto expected = compressLayerWeights(original, plan.forLayer(original, static_cast<Dim>(i)));
        const auto actual = weightMatrices(*read);
        REQUIRE(expected.size() == actual.size());
        for (std::size_t m = 0; m < expected.size(); ++m) {
            REQUIRE(expected[m].matrix.values.size() == actual[m].values.size());
            CHECK(std::memcmp(expected[m].matrix.values.data(), actual[m].values.data(), actual[m].values.size() * sizeof(float)) == 0);
            // and they are compressed: not the original values
            CHECK(expected[m].matrix.values != weightMatrices(original)[m].values);
            ++compared;
        }
    }
    CHECK(compared == 3);
}

TEST_CASE("a model without labels reports agreement and output SQNR", "[accuracy]")
{
    const Network net = mnist();
    const ordered_json block = {{"dataset", {{"format", "idx"}, {"data", "datasets/mnist20-images-idx3-ubyte"}}},
                                {"metric", "agreement"}, {"samples", 15}, {"calibration", 5}};
    auto spec = AccuracySpec::fromJson(block, std::string(CDX_TEST_DATA_DIR) + "/project.json");
    REQUIRE(spec.ok());
    auto r = measureAccuracy(net, kModel, planOf(operands(4, "int", 8, "int")), spec.value());
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    CHECK_FALSE(r->labelled);
    CHECK(r->samples == 15);
    CHECK(r->calibrationSamples == 5);
    CHECK(r->floatMetric == 100.0);
    CHECK(r->compressedMetric == r->agreement);
    CHECK(r->agreement > 50.0);
    CHECK(std::isfinite(r->outputSqnrDb));
    CHECK(r->outputSqnrDb > 5.0);
    REQUIRE_FALSE(r->layers.empty());
    for (const auto& l : r->layers)
        CHECK(std::isfinite(l.sqnrDb));
}

TEST_CASE("a dataset that does not fit the model is bad input naming the dataset", "[accuracy]")
{
    const Network net = mnist();
    const ordered_json block = {{"dataset", {{"format", "npy"}, {"data", "datasets/tiny-f4.npy"}}}, {"metric", "agreement"}, {"samples", 2}, {"calibration", 1}};
    auto spec = AccuracySpec::fromJson(block, std::string(CDX_TEST_DATA_DIR) + "/project.json");
    REQUIRE(spec.ok());
    auto r = measureAccuracy(net, kModel, planOf(operands(8, "int", 8, "int")), spec.value());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ExitCode::BadInput);
    CHECK_THAT(r.error().describe(), Catch::Contains("tiny-f4.npy") && Catch::Contains("Input3"));
}

TEST_CASE("a model with an operator ONNX Runtime cannot run is bad input naming the model", "[accuracy]")
{
    // A node of a domain no runtime knows: the FakeQuant operator, without the measurement that registers it.
    const Network net = mnist();
    std::ifstream in(kModel, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ModelRewrite rewrite;
    rewrite.fakeQuantized = {net.findLayer("Convolution28")->outputs[0]};
    auto rewritten = rewriteOnnxModel(bytes, kModel, rewrite);
    REQUIRE(rewritten.ok());
    const auto path = (std::filesystem::temp_directory_path() / "cdx_accuracytest_unknown_op.onnx").string();
    std::ofstream(path, std::ios::binary) << rewritten.value();
    auto withUnknownOp = importOnnxFile(path);
    REQUIRE(withUnknownOp.ok());  // the importer keeps an operator it does not model as "other"
    const ordered_json block = {{"dataset", {{"format", "idx"}, {"data", "datasets/mnist20-images-idx3-ubyte"}}},
                                {"metric", "agreement"}, {"samples", 2}, {"calibration", 1}};
    auto spec = AccuracySpec::fromJson(block, std::string(CDX_TEST_DATA_DIR) + "/project.json");
    REQUIRE(spec.ok());
    auto r = measureAccuracy(withUnknownOp.value(), path, planOf(operands(8, "int", 8, "int")), spec.value());
    std::filesystem::remove(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ExitCode::BadInput);
    CHECK(r.error().file == path);
    CHECK_THAT(r.error().message, Catch::Contains("ONNX Runtime cannot run this model"));
}
