#include "core/network/attentionblocks.h"
#include "core/onnx/onnximporter.h"
#include "core/onnx/onnxreader.h"
#include "core/project/networksource.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cdx;

namespace {

const std::string kData = CDX_TEST_DATA_DIR;

std::int64_t countKind(const Network& net, LayerKind kind)
{
    return std::count_if(net.layers().begin(), net.layers().end(), [&](const Layer& l) { return l.kind == kind; });
}

OnnxValueInfo tensorInfo(const std::string& name, Shape dims)
{
    OnnxValueInfo info;
    info.name = name;
    info.type = OnnxElementType::Float;
    info.hasShape = true;
    for (Dim d : dims)
        info.dims.push_back(DimValue::fixed(d));
    return info;
}

OnnxNode makeNode(const std::string& op, std::vector<std::string> in, std::vector<std::string> out, const std::string& name = {})
{
    OnnxNode n;
    n.opType = op;
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    n.name = name;
    return n;
}

/// y = If(cond) then Relu(x) else Sigmoid(x), with cond a graph input (unknown at import).
OnnxModel ifModel()
{
    OnnxModel model;
    model.path = "if.onnx";
    model.irVersion = 8;
    model.opset = 13;
    model.graph.inputs = {tensorInfo("x", {1, 4}), tensorInfo("cond", {})};
    model.graph.inputs[1].type = OnnxElementType::Bool;
    model.graph.outputs = {tensorInfo("y", {1, 4})};
    auto branch = [](const std::string& op, const std::string& out) {
        auto g = std::make_shared<OnnxGraph>();
        g->nodes = {makeNode(op, {"x"}, {out}, op)};
        g->outputs = {tensorInfo(out, {1, 4})};
        OnnxAttribute a;
        a.type = OnnxAttribute::Type::Graph;
        a.graph = g;
        return a;
    };
    OnnxNode node = makeNode("If", {"cond"}, {"y"}, "choose");
    node.attributes["then_branch"] = branch("Relu", "r");
    node.attributes["else_branch"] = branch("Sigmoid", "s");
    model.graph.nodes = {node};
    return model;
}

}  // namespace

TEST_CASE("MNIST (CNTK, IR 3, opset 8) imports with hand-counted MACs", "[onnx]")
{
    OnnxImportReport report;
    auto net = importOnnxFile(kData + "/onnx/mnist.onnx", {}, &report);
    INFO((net.ok() ? std::string() : net.error().describe()));
    REQUIRE(net.ok());
    CHECK(report.irVersion == 3);
    CHECK(report.opset == 8);
    // conv1: 28x28 outputs (SAME), 8 filters of 5x5x1; conv2: 14x14, 16 filters of 5x5x8; fc 256 -> 10.
    const std::int64_t conv1 = 28 * 28 * 8 * 25, conv2 = 14 * 14 * 16 * 200, fc = 256 * 10;
    CHECK(net->totals().macs == conv1 + conv2 + fc);
    CHECK(net->totals().params == 5994);
    CHECK(report.storedFloatElements == 5994);
    CHECK(countKind(net.value(), LayerKind::Conv) == 2);
    CHECK(countKind(net.value(), LayerKind::FullyConnected) == 1);
    // The separate bias Adds fold into their convolution and matmul.
    CHECK(countKind(net.value(), LayerKind::Eltwise) == 0);
    for (const auto& layer : net->layers())
        if (layer.kind == LayerKind::Conv) {
            CHECK(std::get<ConvParams>(layer.params).bias);
            REQUIRE(layer.weightData.size() == 2);
            REQUIRE(layer.weightData[0].values);
            CHECK(layer.weightData[0].values->size() == static_cast<std::size_t>(layer.counts.weights));
        }
    CHECK(net->findTensor(net->outputs()[0])->shape == Shape{1, 10});
}

TEST_CASE("an If with a condition unknown at import takes the chosen branch and says so", "[onnx]")
{
    auto then = importOnnxModel(ifModel());
    REQUIRE(then.ok());
    REQUIRE(then->layers().size() == 1);
    CHECK(std::get<ActivationParams>(then->layers()[0].params).fn == ActivationFn::Relu);
    CHECK(std::any_of(then->warnings().begin(), then->warnings().end(), [](const std::string& w) {
        return w.find("then of \"choose\" (condition unknown at import") != std::string::npos;
    }));
    OnnxImportOptions options;
    options.unknownIfBranch = OnnxImportOptions::Branch::Else;
    auto otherwise = importOnnxModel(ifModel(), options);
    REQUIRE(otherwise.ok());
    CHECK(std::get<ActivationParams>(otherwise->layers()[0].params).fn == ActivationFn::Sigmoid);
}

TEST_CASE("an operator the tool does not model becomes an other layer, not a failure", "[onnx]")
{
    auto net = importOnnxFile(kData + "/bad/onnx/unknown_operator.onnx");
    REQUIRE(net.ok());
    CHECK(countKind(net.value(), LayerKind::Other) == 1);
    const auto& other = std::get<OtherParams>(net->layers()[0].params);
    CHECK(other.opType == "Celu");
    CHECK(other.outputShapes[0] == Shape{1, 4});
    CHECK(std::any_of(net->warnings().begin(), net->warnings().end(),
                      [](const std::string& w) { return w.find("Celu (1)") != std::string::npos; }));
}

TEST_CASE("bad ONNX files fail with the file and the node", "[onnx][errors]")
{
    struct Case {
        const char* file;
        const char* fragment;
    };
    const Case cases[] = {
        {"truncated.onnx", "not a valid ONNX model"},
        {"not_onnx.onnx", "not a valid ONNX model"},
        {"cycle.onnx", "the graph has a cycle through node \"first\" (Add)"},
        {"huge_dimension.onnx", "dimension of 1000000000000, above the limit"},
        {"missing_initializer.onnx", "node \"conv\" (Conv): reads tensor \"conv.weight\""},
        {"future_opset.onnx", "opset 99 of the default domain is newer than this build supports"},
        {"short_raw_data.onnx", "tensor \"w\": holds 8 bytes of raw data; its shape needs 64"},
        {"external_escape.onnx", "leaves the model's folder"},
        {"channel_mismatch.onnx", "node \"conv\" (Conv): weights 4x3x3x3 with group 1 expect 3 input channels"},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.file)
        {
            const std::string path = kData + "/bad/onnx/" + c.file;
            auto net = importOnnxFile(path);
            REQUIRE_FALSE(net.ok());
            CHECK(net.error().code == ExitCode::BadInput);
            CHECK(net.error().file == path);
            CHECK_THAT(net.error().describe(), Catch::Contains(c.fragment));
        }
    }
    auto missing = importOnnxFile(kData + "/bad/onnx/nowhere.onnx");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().describe(), Catch::EndsWith("nowhere.onnx: no such file"));
}

TEST_CASE("ONNX models load through the same source resolution as the CLI", "[onnx]")
{
    auto net = loadNetworkSource(kData + "/onnx/mnist.onnx", {{"batch", 4}});
    // MNIST's input has a fixed batch of 1: the binding is reported as unused.
    REQUIRE(net.ok());
    CHECK(std::any_of(net->warnings().begin(), net->warnings().end(),
                      [](const std::string& w) { return w.find("batch = 4 is not used") != std::string::npos; }));
}
