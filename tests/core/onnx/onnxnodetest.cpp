// Debian's libonnx-testdata: single-operator models with reference outputs. Each imports with
// the shapes of its reference outputs; weights given as graph inputs become initializers from
// the test's input data, as a real exporter would store them.
#include "core/onnx/onnximporter.h"
#include "core/onnx/onnxreader.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using namespace cdx;
namespace fs = std::filesystem;

namespace {

const fs::path kNodeTests = "/usr/share/libonnx-testdata/data/node";

/// Operators whose every input is data (all others: only input 0 is).
const std::set<std::string> kAllData{"MatMul", "Concat"};

/// Cases the network model cannot express, each with its reason.
const std::map<std::string, std::string> kUnsupported{
    {"test_reshape_allowzero_reordered", "a literal zero dimension: tensors of size 0"},
    {"test_slice_start_out_of_bounds", "an empty slice: tensors of size 0"},
    {"test_batchnorm_epsilon_training_mode", "training mode updates running statistics"},
    {"test_batchnorm_example_training_mode", "training mode updates running statistics"},
};

bool selected(const std::string& name)
{
    static const char* prefixes[] = {
        "test_conv_", "test_convtranspose", "test_gemm_", "test_matmul_", "test_lstm_", "test_gru_", "test_rnn_",
        "test_maxpool_", "test_averagepool_", "test_globalaveragepool", "test_globalmaxpool", "test_reshape_",
        "test_transpose_", "test_concat_", "test_split_", "test_slice", "test_flatten_", "test_squeeze",
        "test_unsqueeze_", "test_constant_pad", "test_edge_pad", "test_reflect_pad", "test_resize_", "test_batchnorm_",
        "test_layer_normalization_", "test_softmax_", "test_depthtospace", "test_spacetodepth"};
    for (const char* p : prefixes)
        if (name.rfind(p, 0) == 0)
            return name.find("zero_size") == std::string::npos;
    return false;
}

/// The model with its non-data inputs turned into initializers from test_data_set_0.
Result<OnnxModel> loadCase(const fs::path& dir)
{
    auto model = readOnnxModel((dir / "model.onnx").string());
    if (!model)
        return model;
    OnnxGraph& g = model->graph;
    const std::string op = g.nodes.empty() ? std::string() : g.nodes[0].opType;
    std::vector<OnnxValueInfo> kept;
    for (std::size_t i = 0; i < g.inputs.size(); ++i) {
        const bool data = i == 0 || kAllData.count(op) || (op == "Gemm" && i == 0) ||
                          ((op == "LSTM" || op == "GRU" || op == "RNN") && i >= 4 && i != 7);
        if (data) {
            kept.push_back(g.inputs[i]);
            continue;
        }
        auto tensor = readOnnxTensorFile((dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")).string());
        if (!tensor)
            return tensor.error();
        g.initializers[g.inputs[i].name] = tensor.value();
    }
    g.inputs = kept;
    return model;
}

}  // namespace

TEST_CASE("libonnx-testdata operator models import with their reference output shapes", "[onnx][node]")
{
    REQUIRE(fs::is_directory(kNodeTests));
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(kNodeTests))
        if (selected(entry.path().filename().string()))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        if (kUnsupported.count(name))
            continue;
        DYNAMIC_SECTION(name)
        {
            auto model = loadCase(kNodeTests / name);
            INFO((model.ok() ? std::string() : model.error().describe()));
            REQUIRE(model.ok());
            auto net = importOnnxModel(model.value());
            INFO((net.ok() ? std::string() : net.error().describe()));
            REQUIRE(net.ok());
            const auto& outputs = model->graph.outputs;
            REQUIRE(net->outputs().size() == outputs.size());
            for (std::size_t k = 0; k < outputs.size(); ++k) {
                auto expected = readOnnxTensorFile(
                    (kNodeTests / name / "test_data_set_0" / ("output_" + std::to_string(k) + ".pb")).string());
                REQUIRE(expected.ok());
                INFO("output " << k << " (" << outputs[k].name << ")");
                CHECK(net->findTensor(net->outputs()[k])->shape == expected->dims);
            }
        }
    }
    CHECK(names.size() >= 150);
}
