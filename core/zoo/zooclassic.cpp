// LeNets, AlexNet and the VGGs, with Caffe's layer names (the names in the pruning papers).
#include "core/zoo/zoonetworks.h"

#include "core/network/networkbuilder.h"

namespace cdx::zoo {

namespace {

std::vector<DimValue> imageInput(Dim channels, Dim size)
{
    return {DimValue::named("batch"), DimValue::fixed(channels), DimValue::fixed(size), DimValue::fixed(size)};
}

/// VGG: `blocks[i]` 3x3 convolutions of `widths[i]` channels, each block ending in a 2x2 max pool,
/// then torchvision's adaptive 7x7 average pool and three fully connected layers.
NetworkSpec vgg(const std::string& name, const std::vector<int>& blocks, const char* description)
{
    NetworkBuilder b(name);
    b.describe(description, "torchvision.models." + name + "; Simonyan and Zisserman, ICLR 2015").dimDefault("batch", 1);
    std::string x = b.input("input", imageInput(3, 224));
    const Dim widths[] = {64, 128, 256, 512, 512};
    for (std::size_t block = 0; block < blocks.size(); ++block) {
        for (int i = 1; i <= blocks[block]; ++i) {
            const std::string id = std::to_string(block + 1) + "_" + std::to_string(i);
            x = b.conv2d("conv" + id, x, {.out = widths[block], .kernel = 3, .pad = 1});
            x = b.relu("relu" + id, x);
        }
        x = b.maxPool("pool" + std::to_string(block + 1), x, 2, 2);
    }
    x = b.adaptiveAvgPool("avgpool", x, 7);
    x = b.flatten("flatten", x);
    x = b.relu("relu6", b.fc("fc6", x, 4096));
    x = b.relu("relu7", b.fc("fc7", x, 4096));
    b.fc("fc8", x, 1000);
    return std::move(b).build();
}

}  // namespace

NetworkSpec lenet300100()
{
    NetworkBuilder b("lenet300100");
    b.describe("LeNet-300-100 multilayer perceptron for MNIST (784-300-100-10)",
               "LeCun et al., Proc. IEEE 1998; Han et al., NIPS 2015 (pruning baseline)")
        .dimDefault("batch", 1);
    std::string x = b.input("input", {DimValue::named("batch"), DimValue::fixed(784)});
    x = b.relu("relu1", b.fc("ip1", x, 300));
    x = b.relu("relu2", b.fc("ip2", x, 100));
    b.fc("ip3", x, 10);
    return std::move(b).build();
}

NetworkSpec lenet5()
{
    NetworkBuilder b("lenet5");
    b.describe("LeNet-5 as in Caffe's MNIST example: conv 20@5x5, pool, conv 50@5x5, pool, FC 500, FC 10",
               "Caffe examples/mnist/lenet.prototxt; Han et al., NIPS 2015")
        .dimDefault("batch", 1);
    std::string x = b.input("input", imageInput(1, 28));
    x = b.maxPool("pool1", b.conv2d("conv1", x, {.out = 20, .kernel = 5}), 2, 2);
    x = b.maxPool("pool2", b.conv2d("conv2", x, {.out = 50, .kernel = 5}), 2, 2);
    x = b.flatten("flatten", x);
    x = b.relu("relu1", b.fc("ip1", x, 500));
    b.fc("ip2", x, 10);
    return std::move(b).build();
}

NetworkSpec alexnet()
{
    NetworkBuilder b("alexnet");
    b.describe("AlexNet, torchvision's single-tower variant at 224x224",
               "torchvision.models.alexnet; Krizhevsky et al., NIPS 2012")
        .dimDefault("batch", 1);
    std::string x = b.input("input", imageInput(3, 224));
    x = b.relu("relu1", b.conv2d("conv1", x, {.out = 64, .kernel = 11, .stride = 4, .pad = 2}));
    x = b.maxPool("pool1", x, 3, 2);
    x = b.relu("relu2", b.conv2d("conv2", x, {.out = 192, .kernel = 5, .pad = 2}));
    x = b.maxPool("pool2", x, 3, 2);
    x = b.relu("relu3", b.conv2d("conv3", x, {.out = 384, .kernel = 3, .pad = 1}));
    x = b.relu("relu4", b.conv2d("conv4", x, {.out = 256, .kernel = 3, .pad = 1}));
    x = b.relu("relu5", b.conv2d("conv5", x, {.out = 256, .kernel = 3, .pad = 1}));
    x = b.maxPool("pool5", x, 3, 2);
    x = b.adaptiveAvgPool("avgpool", x, 6);
    x = b.flatten("flatten", x);
    x = b.relu("relu6", b.fc("fc6", x, 4096));
    x = b.relu("relu7", b.fc("fc7", x, 4096));
    b.fc("fc8", x, 1000);
    return std::move(b).build();
}

NetworkSpec vgg16()
{
    return vgg("vgg16", {2, 2, 3, 3, 3}, "VGG-16 (configuration D) at 224x224");
}

NetworkSpec vgg19()
{
    return vgg("vgg19", {2, 2, 4, 4, 4}, "VGG-19 (configuration E) at 224x224");
}

}  // namespace cdx::zoo
