#pragma once

#include "core/network/networkspec.h"

#include <string>
#include <vector>

namespace cdx {

/// Options of a square 2-D convolution, for NetworkBuilder::conv2d.
struct Conv2dOptions {
    Dim out = 0;
    Dim kernel = 1;
    Dim stride = 1;
    Dim pad = 0;
    Dim groups = 1;
    Dim dilation = 1;
    bool bias = true;
};

/// Writes a NetworkSpec layer by layer. Every method returns the name of the tensor the new
/// layer produces, so layers chain: `x = b.relu("relu1", b.conv2d("conv1", x, {...}))`.
class NetworkBuilder {
public:
    explicit NetworkBuilder(std::string name);

    NetworkBuilder& describe(std::string description, std::string source);
    NetworkBuilder& dimDefault(const std::string& symbol, Dim value);

    std::string input(const std::string& name, std::vector<DimValue> dims, DataType type = DataType::Float32);

    /// Any layer. Returns its first output.
    std::string layer(const std::string& name, LayerKind kind, std::vector<std::string> inputs, LayerParams params,
                      std::vector<std::string> outputs = {});

    std::string conv2d(const std::string& name, const std::string& in, const Conv2dOptions& options);
    std::string fc(const std::string& name, const std::string& in, Dim outFeatures, bool bias = true);
    std::string matmul(const std::string& name, const std::string& a, const std::string& b, bool transposeB = false);
    std::string batchNorm(const std::string& name, const std::string& in);
    std::string layerNorm(const std::string& name, const std::string& in);
    std::string activation(const std::string& name, const std::string& in, ActivationFn fn, double alpha = 0.0,
                           double beta = 0.0);
    std::string relu(const std::string& name, const std::string& in);
    std::string maxPool(const std::string& name, const std::string& in, Dim kernel, Dim stride, Dim pad = 0);
    std::string globalAvgPool(const std::string& name, const std::string& in);
    std::string adaptiveAvgPool(const std::string& name, const std::string& in, Dim size);
    std::string eltwise(const std::string& name, EltwiseOp op, std::vector<std::string> inputs);
    std::string scale(const std::string& name, const std::string& in, double factor);
    std::string softmax(const std::string& name, const std::string& in, Dim axis = -1);
    std::string flatten(const std::string& name, const std::string& in, Dim axis = 1);
    std::string reshape(const std::string& name, const std::string& in, std::vector<Dim> shape);
    std::string transpose(const std::string& name, const std::string& in, std::vector<Dim> perm);

    NetworkSpec build() &&;

private:
    NetworkSpec spec_;
};

}  // namespace cdx
