// ResNets with torchvision's module names.
#include "core/zoo/zoonetworks.h"

#include "core/network/networkbuilder.h"

namespace cdx::zoo {

namespace {

struct ResNetShape {
    std::vector<int> blocks;
    bool bottleneck = false;
};

std::string convBn(NetworkBuilder& b, const std::string& prefix, const std::string& suffix, const std::string& x,
                   const Conv2dOptions& options)
{
    return b.batchNorm(prefix + "bn" + suffix, b.conv2d(prefix + "conv" + suffix, x, options));
}

/// torchvision's BasicBlock (two 3x3) or Bottleneck (1x1, 3x3 with the stride: v1.5, 1x1 x4).
std::string residualBlock(NetworkBuilder& b, const std::string& prefix, std::string x, Dim inChannels, Dim width,
                          Dim stride, bool bottleneck)
{
    const Dim outChannels = bottleneck ? width * 4 : width;
    std::string y;
    if (bottleneck) {
        y = b.relu(prefix + "relu1", convBn(b, prefix, "1", x, {.out = width, .kernel = 1, .bias = false}));
        y = b.relu(prefix + "relu2",
                   convBn(b, prefix, "2", y, {.out = width, .kernel = 3, .stride = stride, .pad = 1, .bias = false}));
        y = convBn(b, prefix, "3", y, {.out = outChannels, .kernel = 1, .bias = false});
    } else {
        y = b.relu(prefix + "relu1",
                   convBn(b, prefix, "1", x, {.out = width, .kernel = 3, .stride = stride, .pad = 1, .bias = false}));
        y = convBn(b, prefix, "2", y, {.out = width, .kernel = 3, .pad = 1, .bias = false});
    }
    if (stride != 1 || inChannels != outChannels) {
        x = b.conv2d(prefix + "downsample.0", x, {.out = outChannels, .kernel = 1, .stride = stride, .bias = false});
        x = b.batchNorm(prefix + "downsample.1", x);
    }
    return b.relu(prefix + "relu_out", b.eltwise(prefix + "add", EltwiseOp::Add, {y, x}));
}

NetworkSpec resnet(const std::string& name, const ResNetShape& shape, const char* description)
{
    NetworkBuilder b(name);
    b.describe(description, "torchvision.models." + name + "; He et al., CVPR 2016").dimDefault("batch", 1);
    std::string x = b.input("input", {DimValue::named("batch"), DimValue::fixed(3), DimValue::fixed(224),
                                      DimValue::fixed(224)});
    x = b.relu("relu", convBn(b, "", "1", x, {.out = 64, .kernel = 7, .stride = 2, .pad = 3, .bias = false}));
    x = b.maxPool("maxpool", x, 3, 2, 1);
    Dim channels = 64;
    for (std::size_t stage = 0; stage < shape.blocks.size(); ++stage) {
        const Dim width = Dim{64} << stage;
        for (int i = 0; i < shape.blocks[stage]; ++i) {
            const std::string prefix = "layer" + std::to_string(stage + 1) + "." + std::to_string(i) + ".";
            const Dim stride = (stage > 0 && i == 0) ? 2 : 1;
            x = residualBlock(b, prefix, x, channels, width, stride, shape.bottleneck);
            channels = shape.bottleneck ? width * 4 : width;
        }
    }
    x = b.flatten("flatten", b.globalAvgPool("avgpool", x));
    b.fc("fc", x, 1000);
    return std::move(b).build();
}

}  // namespace

NetworkSpec resnet18()
{
    return resnet("resnet18", {{2, 2, 2, 2}, false}, "ResNet-18 at 224x224");
}

NetworkSpec resnet50()
{
    return resnet("resnet50", {{3, 4, 6, 3}, true}, "ResNet-50 v1.5 (stride in the 3x3 convolution) at 224x224");
}

}  // namespace cdx::zoo
