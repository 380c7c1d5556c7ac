// MobileNets: V1 with Keras's layer names, V2 with torchvision's.
#include "core/zoo/zoonetworks.h"

#include "core/network/networkbuilder.h"

namespace cdx::zoo {

namespace {

std::vector<DimValue> rgb224()
{
    return {DimValue::named("batch"), DimValue::fixed(3), DimValue::fixed(224), DimValue::fixed(224)};
}

std::string convBnRelu6(NetworkBuilder& b, const std::string& conv, const std::string& bn, const std::string& relu,
                        const std::string& x, const Conv2dOptions& options)
{
    return b.activation(relu, b.batchNorm(bn, b.conv2d(conv, x, options)), ActivationFn::Relu6);
}

}  // namespace

NetworkSpec mobilenetV1()
{
    NetworkBuilder b("mobilenet_v1");
    b.describe("MobileNetV1 1.0-224: depthwise-separable convolutions",
               "Howard et al., arXiv 1704.04861; Keras applications MobileNet")
        .dimDefault("batch", 1);
    std::string x = b.input("input", rgb224());
    x = convBnRelu6(b, "conv1", "conv1_bn", "conv1_relu", x, {.out = 32, .kernel = 3, .stride = 2, .pad = 1, .bias = false});
    struct Block { Dim out; Dim stride; };
    const Block blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},  {512, 1},
                            {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
    Dim channels = 32;
    int id = 1;
    for (const Block& block : blocks) {
        const std::string n = std::to_string(id++);
        x = convBnRelu6(b, "conv_dw_" + n, "conv_dw_" + n + "_bn", "conv_dw_" + n + "_relu", x,
                        {.out = channels, .kernel = 3, .stride = block.stride, .pad = 1, .groups = channels, .bias = false});
        x = convBnRelu6(b, "conv_pw_" + n, "conv_pw_" + n + "_bn", "conv_pw_" + n + "_relu", x,
                        {.out = block.out, .kernel = 1, .bias = false});
        channels = block.out;
    }
    x = b.flatten("flatten", b.globalAvgPool("avgpool", x));
    b.fc("fc", x, 1000);
    return std::move(b).build();
}

NetworkSpec mobilenetV2()
{
    NetworkBuilder b("mobilenet_v2");
    b.describe("MobileNetV2 1.0-224: inverted residuals with linear bottlenecks",
               "torchvision.models.mobilenet_v2; Sandler et al., CVPR 2018")
        .dimDefault("batch", 1);
    std::string x = b.input("input", rgb224());
    x = convBnRelu6(b, "features.0.0", "features.0.1", "features.0.2", x,
                    {.out = 32, .kernel = 3, .stride = 2, .pad = 1, .bias = false});
    struct Stage { Dim expand; Dim out; int repeat; Dim stride; };
    const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                            {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    Dim channels = 32;
    int index = 1;
    for (const Stage& stage : stages) {
        for (int r = 0; r < stage.repeat; ++r, ++index) {
            const std::string p = "features." + std::to_string(index) + ".conv.";
            const Dim stride = r == 0 ? stage.stride : 1;
            const Dim hidden = channels * stage.expand;
            std::string y = x;
            int part = 0;
            if (stage.expand != 1) {
                y = convBnRelu6(b, p + "0.0", p + "0.1", p + "0.2", y, {.out = hidden, .kernel = 1, .bias = false});
                part = 1;
            }
            const std::string dw = p + std::to_string(part) + ".";
            y = convBnRelu6(b, dw + "0", dw + "1", dw + "2", y,
                            {.out = hidden, .kernel = 3, .stride = stride, .pad = 1, .groups = hidden, .bias = false});
            y = b.conv2d(p + std::to_string(part + 1), y, {.out = stage.out, .kernel = 1, .bias = false});
            y = b.batchNorm(p + std::to_string(part + 2), y);
            if (stride == 1 && channels == stage.out)
                y = b.eltwise("features." + std::to_string(index) + ".add", EltwiseOp::Add, {y, x});
            x = y;
            channels = stage.out;
        }
    }
    x = convBnRelu6(b, "features.18.0", "features.18.1", "features.18.2", x, {.out = 1280, .kernel = 1, .bias = false});
    x = b.flatten("flatten", b.globalAvgPool("avgpool", x));
    b.fc("classifier.1", x, 1000);
    return std::move(b).build();
}

}  // namespace cdx::zoo
