#pragma once

// The real networks the compression tests run: MNIST (tests/data) and the four models that
// scripts/fetch-models.sh fetches. A missing model fails the test, it never skips it.
#include "core/onnx/onnximporter.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cdx::test {

inline Network loadModel(const std::string& path, const DimBindings& dims = {})
{
    INFO("run scripts/fetch-models.sh " << CDX_TEST_MODELS_DIR << " to fetch the test models");
    REQUIRE(std::filesystem::exists(path));
    OnnxImportOptions options;
    options.dims = dims;
    auto net = importOnnxFile(path, options);
    INFO((net.ok() ? std::string() : net.error().describe()));
    REQUIRE(net.ok());
    return std::move(net.value());
}

/// The fetched models, with the dimensions their files leave open (as onnxmodelstest).
inline std::vector<Network> realModels()
{
    const std::string dir = std::string(CDX_TEST_MODELS_DIR) + "/";
    std::vector<Network> nets;
    nets.push_back(loadModel(dir + "blazeface_front_128.onnx"));
    nets.push_back(loadModel(dir + "oww_hello_deepa_mlp.onnx"));
    nets.push_back(loadModel(dir + "silero_vad_16k_op15.onnx", {{"sequence", 512}, {"batch", 1}}));
    nets.push_back(loadModel(dir + "ppocrv4_rec.onnx", {{"p2o.DynamicDimension.1", 320}, {"batch", 1}}));
    return nets;
}

inline Network mnist()
{
    return loadModel(std::string(CDX_TEST_DATA_DIR) + "/onnx/mnist.onnx");
}

}  // namespace cdx::test
