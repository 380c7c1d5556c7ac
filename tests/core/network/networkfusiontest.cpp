// The fusion pass and the liveness of activations kept on chip, on ResNet-18 whose layers are
// counted by hand: 20 convolutions each with a batch norm (17 of them plus the downsample
// paths' 3), 17 ReLUs (the stem's, and two in each of the 8 basic blocks, one of them after the
// block's residual add) and 8 residual adds.
#include "core/network/networkfusion.h"
#include "core/zoo/zoo.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

using namespace cdx;

namespace {

Network resnet18()
{
    auto net = loadZooNetwork("resnet18");
    REQUIRE(net.ok());
    return std::move(net).value();
}

/// Layers of each kind that stay on their own (not fused into a MAC layer).
std::map<std::string, int> standalone(const Network& net, const NetworkFusion& f)
{
    std::map<std::string, int> left;
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        if (!f.fused(i) && !isMacKind(net.layers()[i].kind))
            ++left[operatorName(net.layers()[i])];
    return left;
}

}  // namespace

TEST_CASE("fusion: every batch norm, ReLU and residual add of ResNet-18 joins a convolution", "[fusion]")
{
    const Network net = resnet18();
    OutputStage stage;
    stage.residual = true;
    const NetworkFusion f = fuseNetwork(net, stage);
    CHECK(f.fusedCount() == 20 + 17 + 8);
    const auto left = standalone(net, f);
    CHECK(left.count("relu") == 0);
    CHECK(left.count("add") == 0);
    CHECK(left.count("batchnorm") == 0);
    CHECK(left.at("max_pool") == 1);  // the stage does not pool
    CHECK(left.at("avg_pool") == 1);
    // A fused layer names a convolution, which lists it among its members.
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        if (!f.fused(i))
            continue;
        const auto a = static_cast<std::size_t>(f.anchorOf[i]);
        CHECK(net.layers()[a].kind == LayerKind::Conv);
        bool listed = false;
        for (const auto& m : f.members[a])
            listed = listed || m.layer == static_cast<int>(i);
        CHECK(listed);
    }
    // The add of a block with a downsample path joins whichever convolution runs last, and reads
    // the other branch's result, computed before it.
    const int add = static_cast<int>(net.findLayer("layer2.0.add") - net.layers().data());
    const int anchor = f.anchorOf[static_cast<std::size_t>(add)];
    const Layer& addLayer = net.layers()[static_cast<std::size_t>(add)];
    for (const auto& x : addLayer.inputs) {
        const int producer = net.findTensor(x)->producer;
        CHECK(f.anchorOf[static_cast<std::size_t>(producer)] <= anchor);
    }
}

TEST_CASE("fusion: without a residual operand, the adds and the ReLUs after them stay on their own", "[fusion]")
{
    const Network net = resnet18();
    OutputStage stage;  // scale, clamp and piecewise
    const NetworkFusion f = fuseNetwork(net, stage);
    const auto left = standalone(net, f);
    CHECK(left.at("add") == 8);
    CHECK(left.at("relu") == 8);  // each reads an add's result, not a convolution's
    CHECK(f.fusedCount() == 20 + 9);
    // Nothing fuses when the stage applies nothing but folded batch norms.
    const NetworkFusion none = fuseNetwork(net, OutputStage{false, false, false, false, false, false});
    CHECK(none.fusedCount() == 20);
}

TEST_CASE("fusion: a pooling stage takes ResNet-18's max pool after the stem", "[fusion]")
{
    const Network net = resnet18();
    OutputStage stage;
    stage.residual = true;
    stage.pool = true;
    const NetworkFusion f = fuseNetwork(net, stage);
    const std::size_t pool = static_cast<std::size_t>(net.findLayer("maxpool") - net.layers().data());
    CHECK(f.fused(pool));
    CHECK(net.layers()[static_cast<std::size_t>(f.anchorOf[pool])].name == "conv1");
}

TEST_CASE("activations on chip: liveness keeps what fits and never holds more than the buffer", "[fusion]")
{
    const Network net = resnet18();
    OutputStage stage;
    stage.residual = true;
    const NetworkFusion f = fuseNetwork(net, stage);
    // A buffer that holds everything keeps every tensor between layers; the network's input and
    // output stay in DRAM.
    const ActivationResidency all = activationResidency(net, f, Dim{1} << 40);
    for (const auto& [tensor, onChip] : all.onChip) {
        const bool io = tensor == net.inputSpecs().front().name ||
                        std::find(net.outputs().begin(), net.outputs().end(), tensor) != net.outputs().end();
        INFO(tensor);
        CHECK(onChip == !io);
    }
    // The stem's group writes 64 x 112 x 112 elements while nothing else is held.
    CHECK(all.peakElements >= 64 * 112 * 112);
    // No buffer: nothing stays.
    for (const auto& [tensor, onChip] : activationResidency(net, f, 0).onChip)
        CHECK_FALSE(onChip);
    // A buffer of 3 x 512 x 7 x 7 elements: the last stage's block holds its input (kept for the
    // residual add), the first convolution's result and the block's result at once, so they fit
    // exactly; a 64 x 56 x 56 tensor of the first stage never does.
    const Dim last = 512 * 7 * 7;
    const ActivationResidency small = activationResidency(net, f, 3 * last);
    CHECK(small.peakElements <= 3 * last);
    const auto out = [&](const char* layer) { return net.findLayer(layer)->outputs[0]; };
    CHECK(small.resident(out("layer4.1.bn1")) == false);  // inside a group: never written
    CHECK(small.resident(out("layer4.1.relu1")));
    CHECK(small.resident(out("layer4.0.relu_out")));
    CHECK_FALSE(small.resident(out("layer1.0.relu1")));
    // One element less and the block's three tensors no longer fit together.
    const ActivationResidency tight = activationResidency(net, f, 3 * last - 1);
    CHECK(tight.peakElements <= 3 * last - 1);
    const bool allThree = tight.resident(out("layer4.1.relu_out")) && tight.resident(out("layer4.1.relu1")) &&
                          tight.resident(out("layer4.0.relu_out"));
    CHECK_FALSE(allThree);
}
