#include "core/zoo/zoo.h"

#include <catch2/catch.hpp>

#include <set>

using namespace cdx;

namespace {

Network zooNet(const std::string& name, const DimBindings& dims = {})
{
    auto net = loadZooNetwork(name, dims);
    INFO(name << ": " << (net.ok() ? std::string() : net.error().describe()));
    REQUIRE(net.ok());
    return std::move(net.value());
}

std::int64_t macsOfKind(const Network& net, LayerKind kind)
{
    std::int64_t macs = 0;
    for (const auto& layer : net.layers())
        if (layer.kind == kind)
            macs += layer.counts.macs;
    return macs;
}

}  // namespace

TEST_CASE("the zoo has at least 14 documented networks that all build", "[zoo]")
{
    const auto& entries = zooEntries();
    CHECK(entries.size() >= 14);
    std::set<std::string> names;
    for (const auto& entry : entries) {
        INFO(entry.name);
        CHECK(names.insert(std::string(entry.name)).second);
        CHECK_FALSE(entry.summary.empty());
        const NetworkSpec spec = entry.build();
        CHECK(spec.name == entry.name);
        CHECK_FALSE(spec.description.empty());
        CHECK_FALSE(spec.source.empty());
        CHECK(spec.dimDefaults.count("batch") == 1);
        const Network net = zooNet(std::string(entry.name));
        CHECK(net.warnings().empty());
        CHECK(net.totals().macs > 0);
    }
    for (const char* required : {"lenet300100", "lenet5", "alexnet", "vgg16", "vgg19", "resnet18", "resnet50",
                                 "mobilenet_v1", "mobilenet_v2", "tiny_yolo_v2", "bert_base", "ese_lstm", "lstm1024",
                                 "gpt2_small_block"})
        CHECK(findZooEntry(required) != nullptr);
}

// The published totals (torchvision's model tables; Han et al., NIPS 2015; Howard et al., 2017;
// Chen et al., ISSCC 2016; Devlin et al., NAACL 2019).
TEST_CASE("zoo totals match the published figures", "[zoo][figures]")
{
    SECTION("ResNet-50 v1.5: 25,557,032 parameters, 4.09 GMAC")
    {
        const Network net = zooNet("resnet50");
        CHECK(net.totals().params == 25'557'032);
        CHECK(net.totals().macs == Approx(4.09e9).epsilon(0.01));
    }
    SECTION("VGG-16: 138,357,544 parameters, 15.47 GMAC")
    {
        const Network net = zooNet("vgg16");
        CHECK(net.totals().params == 138'357'544);
        CHECK(net.totals().macs == Approx(15.47e9).epsilon(0.01));
    }
    SECTION("AlexNet (torchvision): 61,100,840 parameters, 0.71 GMAC")
    {
        const Network net = zooNet("alexnet");
        CHECK(net.totals().params == 61'100'840);
        CHECK(net.totals().macs == Approx(0.71e9).epsilon(0.02));
    }
    SECTION("ResNet-18: 11,689,512 parameters, 1.81 GMAC")
    {
        const Network net = zooNet("resnet18");
        CHECK(net.totals().params == 11'689'512);
        CHECK(net.totals().macs == Approx(1.81e9).epsilon(0.01));
    }
    SECTION("MobileNetV2: 3,504,872 parameters, 0.30 GMAC")
    {
        const Network net = zooNet("mobilenet_v2");
        CHECK(net.totals().params == 3'504'872);
        CHECK(net.totals().macs == Approx(0.30e9).epsilon(0.02));
    }
    SECTION("MobileNetV1: 4.24 M parameters, 569 M MACs")
    {
        const Network net = zooNet("mobilenet_v1");
        CHECK(net.totals().params == Approx(4.24e6).epsilon(0.01));
        CHECK(net.totals().macs == Approx(569e6).epsilon(0.01));
        std::int64_t depthwise = 0;
        for (const auto& layer : net.layers())
            if (layer.kind == LayerKind::Conv && std::get<ConvParams>(layer.params).groups > 1)
                ++depthwise;
        CHECK(depthwise == 13);
    }
    SECTION("LeNet-300-100: 266,610 parameters, 266,200 MACs")
    {
        const Network net = zooNet("lenet300100");
        CHECK(net.totals().params == 266'610);
        CHECK(net.totals().macs == 266'200);
    }
    SECTION("LeNet-5: 431,080 parameters, 2.29 M MACs")
    {
        const Network net = zooNet("lenet5");
        CHECK(net.totals().params == 431'080);
        CHECK(net.totals().macs == 2'293'000);
    }
    SECTION("VGG-19: 143,667,240 parameters")
    {
        CHECK(zooNet("vgg19").totals().params == 143'667'240);
    }
    SECTION("BERT-base: 84.9 M MACs per token in the encoder's linear layers")
    {
        const Network net = zooNet("bert_base");
        std::int64_t encoderLinear = 0;
        for (const auto& layer : net.layers())
            if (layer.kind == LayerKind::FullyConnected && layer.name.rfind("encoder.", 0) == 0)
                encoderLinear += layer.counts.macs;
        CHECK(static_cast<double>(encoderLinear) / 128.0 == Approx(84.9e6).epsilon(0.01));
        // Attention adds 2 * n * 768 MACs per token and layer (scores and context).
        CHECK(macsOfKind(net, LayerKind::MatMul) == 12LL * 2 * 128 * 128 * 768);
        CHECK(net.totals().params == 109'482'240);  // bert-base-uncased with pooler
    }
    SECTION("ESE's LSTM: about 3.25 M weights")
    {
        const Network net = zooNet("ese_lstm");
        CHECK(net.totals().weights == Approx(3.25e6).epsilon(0.03));
        CHECK(net.findTensor("lstm")->shape == Shape{1, 1, 512});
    }
    SECTION("E-LSTM's vanilla LSTM: 4.98 M parameters")
    {
        const Network net = zooNet("elstm");
        CHECK(net.totals().weights == 4LL * 1024 * (192 + 1024));
        CHECK(static_cast<double>(net.totals().params) == Approx(4.98e6).epsilon(0.005));
        CHECK(net.findTensor("lstm")->shape == Shape{1, 1, 1024});
    }
    SECTION("LSTM 1024x1024: 8,388,608 weights and 8.39 M MACs per step")
    {
        const Network net = zooNet("lstm1024");
        CHECK(net.totals().weights == 8'388'608);
        CHECK(net.totals().params == 8'388'608 + 8'192);
        CHECK(net.totals().macs == 8'388'608);
    }
    SECTION("Tiny YOLOv2 VOC: 6.97 GFLOPs as Darknet reports, 13x13x125 output")
    {
        const Network net = zooNet("tiny_yolo_v2");
        CHECK(2.0 * static_cast<double>(net.totals().macs) == Approx(6.97e9).epsilon(0.01));
        CHECK(net.findTensor("conv9")->shape == Shape{1, 125, 13, 13});
    }
    SECTION("a GPT-2 block has the parameters of one transformer layer")
    {
        CHECK(zooNet("gpt2_small_block").totals().params == 7'087'872);
    }
}

TEST_CASE("batch and sequence length are parameters of the zoo networks", "[zoo][dims]")
{
    const Network one = zooNet("resnet18");
    const Network eight = zooNet("resnet18", {{"batch", 8}});
    CHECK(eight.totals().macs == 8 * one.totals().macs);
    CHECK(eight.totals().params == one.totals().params);

    const Network short_ = zooNet("bert_base", {{"seq_len", 64}});
    const Network long_ = zooNet("bert_base", {{"seq_len", 256}});
    // Linear layers scale with n, attention with n^2.
    CHECK(macsOfKind(long_, LayerKind::FullyConnected) == 4 * macsOfKind(short_, LayerKind::FullyConnected) - 3 * 768 * 768);
    CHECK(macsOfKind(long_, LayerKind::MatMul) == 16 * macsOfKind(short_, LayerKind::MatMul));

    const Network lstm = zooNet("ese_lstm", {{"seq_len", 10}, {"batch", 32}});
    CHECK(lstm.totals().macs == 320 * zooNet("ese_lstm").totals().macs);
}

TEST_CASE("an unknown zoo name suggests the closest one", "[zoo]")
{
    auto net = loadZooNetwork("mobilenetv2");
    REQUIRE_FALSE(net.ok());
    CHECK(net.error().code == ExitCode::BadInput);
    CHECK_THAT(net.error().message, Catch::Contains("did you mean \"mobilenet_v2\"?"));
}
