// Lowering layers to workloads: every zoo network's MACs survive, and the shapes of the
// problems are the layers' (a depthwise convolution has one group per channel, attention's
// products are batched over heads, an LSTM is a GEMM per step).
#include "estimators/engine/problemshapes.h"
#include "estimators/workload/workload.h"

#include "core/zoo/zoo.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

Network zoo(const std::string& name)
{
    auto net = loadZooNetwork(name);
    REQUIRE(net.ok());
    return std::move(net).value();
}


}  // namespace

TEST_CASE("lowering keeps every MAC of every zoo network", "[workload]")
{
    for (const auto& entry : zooEntries()) {
        DYNAMIC_SECTION(std::string(entry.name))
        {
            const Network net = zoo(std::string(entry.name));
            Dim macs = 0;
            for (const auto& layer : net.layers())
                for (const auto& w : lowerLayer(layer, LayerCompression{})) {
                    macs += w.macs;
                    if (w.unit == WorkUnit::Array) {
                        CHECK(w.problem.operations() * w.repeat == w.macs);
                        CHECK(w.macs > 0);
                    }
                }
            CHECK(macs == net.totals().macs);
        }
    }
}

TEST_CASE("lowered problems have the layers' shapes", "[workload]")
{
    const Network mobilenet = zoo("mobilenet_v2");
    // features.1.conv.0.0: the first depthwise 3x3 over 32 channels at 112x112.
    const Layer* depthwise = nullptr;
    for (const auto& l : mobilenet.layers())
        if (l.kind == LayerKind::Conv && std::get<ConvParams>(l.params).groups > 1) {
            depthwise = &l;
            break;
        }
    REQUIRE(depthwise != nullptr);
    const auto dw = lowerLayer(*depthwise, LayerCompression{});
    REQUIRE(dw.size() == 1);
    const Problem& p = dw[0].problem;
    CHECK(p.bounds[kDimG] == 32);
    CHECK(p.bounds[kDimC] == 1);
    CHECK(p.bounds[kDimM] == 1);
    CHECK(p.bounds[kDimR] == 3);
    CHECK(p.bounds[kDimP] == 112);
    CHECK(dw[0].weightElements == 32 * 9);

    const Network resnet = zoo("resnet50");
    const auto stem = lowerLayer(resnet.layers().front(), LayerCompression{});
    REQUIRE(stem.size() == 1);
    CHECK(stem[0].problem.bounds[kDimR] == 7);
    CHECK(stem[0].problem.bounds[kDimP] == 112);
    CHECK(stem[0].problem.dataSpaceSize(kInputs) == 3 * 229 * 229);  // 2 x 111 + 7 = 229 of the padded 230

    const Network lstm = zoo("ese_lstm");
    std::vector<Workload> parts;
    for (const auto& l : lstm.layers())
        if (l.kind == LayerKind::Lstm)
            parts = lowerLayer(l, LayerCompression{});
    REQUIRE(parts.size() == 3);  // gates, projection, cell
    CHECK(parts[0].problem.bounds[kDimM] == 4 * 1024);
    CHECK(parts[0].problem.bounds[kDimC] == 153 + 512);
    CHECK(parts[1].problem.bounds[kDimM] == 512);
    CHECK(parts[2].unit == WorkUnit::Vector);

    const Network bert = zoo("bert_base");
    int batched = 0;
    for (const auto& l : bert.layers())
        if (l.kind == LayerKind::MatMul)
            for (const auto& w : lowerLayer(l, LayerCompression{})) {
                CHECK(w.weightsAreActivations);
                CHECK(w.problem.bounds[kDimG] == 12);  // heads
                ++batched;
            }
    CHECK(batched == 24);  // scores and context in each of 12 layers
}

TEST_CASE("shape-only layers and folded batch norms cost nothing", "[workload]")
{
    const Network resnet = zoo("resnet18");
    int folded = 0, none = 0;
    for (const auto& l : resnet.layers())
        for (const auto& w : lowerLayer(l, LayerCompression{})) {
            if (l.kind == LayerKind::BatchNorm && !l.foldsInto.empty()) {
                CHECK(w.unit == WorkUnit::None);
                ++folded;
            }
            if (l.kind == LayerKind::Flatten) {
                CHECK(w.unit == WorkUnit::None);
                ++none;
            }
        }
    CHECK(folded == 20);
    CHECK(none == 1);
}

TEST_CASE("structured pruning reshapes the problem; the dense MACs stay the layer's", "[workload][compression]")
{
    const Network vgg = zoo("vgg16");
    const Layer* conv = vgg.findLayer("conv3_1");  // 128 -> 256 channels, 3x3 at 56x56
    REQUIRE(conv);
    WorkloadEffect channels;
    channels.outputChannelKeep = 0.5;
    channels.inputChannelKeep = 0.25;
    const auto pruned = lowerLayer(*conv, LayerCompression{}, channels);
    REQUIRE(pruned.size() == 1);
    CHECK(pruned[0].problem.bounds[kDimM] == 128);
    CHECK(pruned[0].problem.bounds[kDimC] == 32);
    CHECK(pruned[0].denseMacs == conv->counts.macs);
    CHECK(pruned[0].macs * 8 == conv->counts.macs);

    WorkloadEffect blocks;
    blocks.structuralGroups = 4;
    const auto grouped = lowerLayer(*conv, LayerCompression{}, blocks);
    CHECK(grouped[0].problem.bounds[kDimG] == 4);
    CHECK(grouped[0].problem.bounds[kDimC] == 32);
    CHECK(grouped[0].problem.bounds[kDimM] == 64);
    CHECK(grouped[0].macs * 4 == conv->counts.macs);

    const Layer* fc = vgg.findLayer("fc7");  // 4096 -> 4096
    REQUIRE(fc);
    WorkloadEffect apu;
    apu.structuralGroups = 8;
    const auto diagonal = lowerLayer(*fc, LayerCompression{}, apu);
    CHECK(diagonal[0].problem.bounds[kDimG] == 8);
    CHECK(diagonal[0].macs * 8 == fc->counts.macs);
    CHECK(diagonal[0].denseMacs == fc->counts.macs);

    const Network lstm1024 = zoo("lstm1024");  // gates 4096 x (1024 + 1024)
    const auto lstm = lowerLayer(lstm1024.layers()[0], LayerCompression{}, apu);
    Dim dense = 0, performed = 0;
    for (const auto& w : lstm)
        if (w.unit == WorkUnit::Array) {
            CHECK(w.problem.bounds[kDimG] == 8);
            dense += w.denseMacs;
            performed += w.macs;
        }
    CHECK(performed * 8 == dense);
}
