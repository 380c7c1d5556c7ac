#pragma once
// The real MNIST network of the test data (the model zoo's mnist-8), for the accuracy tests.

#include "core/onnx/onnximporter.h"

#include <catch2/catch.hpp>

#include <string>

namespace cdx::test {

inline const std::string kMnistModel = std::string(CDX_TEST_DATA_DIR) + "/onnx/mnist.onnx";

inline Network mnist()
{
    auto net = importOnnxFile(kMnistModel);
    REQUIRE(net.ok());
    return std::move(net.value());
}

}  // namespace cdx::test
