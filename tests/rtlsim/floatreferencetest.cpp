// The float references of Conv, Gemm, MatMul and LSTM against the ONNX node tests that Debian's
// libonnx-testdata ships (inputs, attributes and expected outputs written by ONNX's own
// reference implementation).
#include "core/onnx/onnxreader.h"
#include "rtlsim/golden/floatreference.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

using namespace cdx;

namespace {

const std::filesystem::path kNodeTests = "/usr/share/libonnx-testdata/data/node";

FloatTensor toFloat(const OnnxTensor& t)
{
    FloatTensor f;
    f.dims.assign(t.dims.begin(), t.dims.end());
    const std::size_t n = static_cast<std::size_t>(t.size());
    f.data.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        f.data[i] = static_cast<float>(t.value(i));
    return f;
}

/// Compares element by element; "" when they agree, else the first difference.
std::string compare(const FloatTensor& got, const FloatTensor& expected)
{
    if (got.dims != expected.dims)
        return "shape differs";
    for (std::size_t i = 0; i < expected.data.size(); ++i) {
        const double e = expected.data[i], g = got.data[i];
        if (std::abs(g - e) > 1e-4 + 1e-4 * std::abs(e)) {
            std::ostringstream s;
            s << "element " << i << ": " << g << ", expected " << e;
            return s.str();
        }
    }
    return {};
}

bool wanted(const std::string& name)
{
    for (const char* prefix : {"test_conv", "test_gemm", "test_matmul", "test_lstm"})
        if (name.rfind(prefix, 0) == 0)
            return name.find("integer") == std::string::npos && name.find("transpose") == std::string::npos;
    return false;
}

/// Runs the node of one test directory; the outputs in the graph's order, or an error.
Result<std::vector<FloatTensor>> runNode(const OnnxNode& node, const std::map<std::string, FloatTensor>& values)
{
    auto input = [&](std::size_t i) -> const FloatTensor* {
        if (!node.hasInput(i))
            return nullptr;
        const auto it = values.find(node.inputs[i]);
        return it == values.end() ? nullptr : &it->second;
    };
    if (node.opType == "Conv") {
        ConvAttributes a;
        a.kernelShape = node.intsAttr("kernel_shape");
        a.strides = node.intsAttr("strides");
        a.pads = node.intsAttr("pads");
        a.dilations = node.intsAttr("dilations");
        a.group = node.intAttr("group", 1);
        a.autoPad = node.stringAttr("auto_pad", "NOTSET");
        auto y = referenceConv(*input(0), *input(1), input(2), a);
        if (!y)
            return y.error();
        return std::vector<FloatTensor>{y.value()};
    }
    if (node.opType == "Gemm") {
        GemmAttributes a;
        a.alpha = static_cast<float>(node.floatAttr("alpha", 1.0));
        a.beta = static_cast<float>(node.floatAttr("beta", 1.0));
        a.transA = node.intAttr("transA", 0) != 0;
        a.transB = node.intAttr("transB", 0) != 0;
        auto y = referenceGemm(*input(0), *input(1), input(2), a);
        if (!y)
            return y.error();
        return std::vector<FloatTensor>{y.value()};
    }
    if (node.opType == "MatMul") {
        auto y = referenceMatMul(*input(0), *input(1));
        if (!y)
            return y.error();
        return std::vector<FloatTensor>{y.value()};
    }
    LstmAttributes a;
    a.hiddenSize = node.intAttr("hidden_size", 0);
    a.direction = node.stringAttr("direction", "forward");
    if (const OnnxAttribute* acts = node.attribute("activations"))
        a.activations = acts->strings;
    a.clip = static_cast<float>(node.floatAttr("clip", 0.0));
    a.inputForget = node.intAttr("input_forget", 0) != 0;
    a.layout = node.intAttr("layout", 0);
    auto y = referenceLstm(*input(0), *input(1), *input(2), input(3), input(4), input(5), input(6), input(7), a);
    if (!y)
        return y.error();
    std::vector<FloatTensor> outs{y->y, y->yH, y->yC};
    // Only the outputs the node names, in order (an empty name is an omitted output).
    std::vector<FloatTensor> named;
    for (std::size_t i = 0; i < node.outputs.size() && i < outs.size(); ++i)
        if (!node.outputs[i].empty())
            named.push_back(outs[i]);
    return named;
}

}  // namespace

TEST_CASE("float references pass the ONNX node tests of Conv, Gemm, MatMul and LSTM", "[rtlsim][onnx]")
{
    if (!std::filesystem::is_directory(kNodeTests))
        FAIL("no " << kNodeTests << ": install Debian's libonnx-testdata");
    std::map<std::string, int> perOperator;
    int ran = 0;
    std::vector<std::filesystem::path> dirs;
    for (const auto& entry : std::filesystem::directory_iterator(kNodeTests))
        if (entry.is_directory() && wanted(entry.path().filename().string()))
            dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto& dir : dirs) {
        INFO(dir.filename().string());
        {
            auto model = readOnnxModel((dir / "model.onnx").string());
            REQUIRE(model.ok());
            const OnnxGraph& graph = model->graph;
            REQUIRE(graph.nodes.size() == 1);
            std::map<std::string, FloatTensor> values;
            for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
                auto t = readOnnxTensorFile((dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")).string());
                REQUIRE(t.ok());
                values[graph.inputs[i].name] = toFloat(t.value());
            }
            auto outputs = runNode(graph.nodes.front(), values);
            if (!outputs)
                FAIL(outputs.error().describe());
            REQUIRE(outputs->size() == graph.outputs.size());
            for (std::size_t i = 0; i < graph.outputs.size(); ++i) {
                auto expected = readOnnxTensorFile((dir / "test_data_set_0" / ("output_" + std::to_string(i) + ".pb")).string());
                REQUIRE(expected.ok());
                INFO("output " << i);
                CHECK(compare(outputs.value()[i], toFloat(expected.value())) == "");
            }
            ++perOperator[graph.nodes.front().opType];
            ++ran;
        }
    }
    // A missing or partial package must not pass vacuously.
    CHECK(ran >= 20);
    for (const char* op : {"Conv", "Gemm", "MatMul", "LSTM"})
        CHECK(perOperator[op] >= 1);
}

TEST_CASE("float references report shapes that do not fit", "[rtlsim]")
{
    FloatTensor x{{1, 3, 4, 4}, std::vector<float>(48, 1.0f)};
    FloatTensor w{{2, 2, 3, 3}, std::vector<float>(36, 1.0f)};  // 2 input channels for 3
    auto conv = referenceConv(x, w, nullptr, {});
    REQUIRE_FALSE(conv.ok());
    CHECK_THAT(conv.error().message, Catch::Contains("do not fit"));
    FloatTensor a{{2, 3}, std::vector<float>(6, 1.0f)};
    FloatTensor b{{4, 2}, std::vector<float>(8, 1.0f)};
    auto mm = referenceMatMul(a, b);
    REQUIRE_FALSE(mm.ok());
    CHECK_THAT(mm.error().message, Catch::Contains("inner dimensions"));
    CHECK_FALSE(referenceGemm(a, b, nullptr, {}).ok());
    // A 3 x 3 kernel on a 3 x 3 input, valid padding: one output, the sum of all nine.
    FloatTensor x3{{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
    FloatTensor w3{{1, 1, 3, 3}, std::vector<float>(9, 1.0f)};
    auto one = referenceConv(x3, w3, nullptr, {});
    REQUIRE(one.ok());
    CHECK(one->dims == std::vector<std::int64_t>{1, 1, 1, 1});
    CHECK(one->data.front() == 45.0f);
}
