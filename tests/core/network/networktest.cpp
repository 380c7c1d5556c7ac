#include "core/network/network.h"
#include "core/network/networkbuilder.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cdx;

namespace {

/// input -> conv1 -> bn1 -> relu1 -> conv2 -> add(relu1, conv2) -> fc
NetworkSpec smallResidual()
{
    NetworkBuilder b("small");
    b.dimDefault("batch", 2);
    std::string x = b.input("input", {DimValue::named("batch"), DimValue::fixed(3), DimValue::fixed(8), DimValue::fixed(8)});
    x = b.conv2d("conv1", x, {.out = 8, .kernel = 3, .pad = 1, .bias = false});
    x = b.relu("relu1", b.batchNorm("bn1", x));
    const std::string y = b.conv2d("conv2", x, {.out = 8, .kernel = 3, .pad = 1});
    x = b.eltwise("add", EltwiseOp::Add, {x, y});
    x = b.flatten("flatten", x);
    b.fc("fc", x, 10);
    return std::move(b).build();
}

std::string errorOf(NetworkSpec spec, const DimBindings& bindings = {})
{
    auto net = Network::create(std::move(spec), bindings);
    REQUIRE_FALSE(net.ok());
    return net.error().describe();
}

Layer& layerNamed(NetworkSpec& spec, const std::string& name)
{
    return *std::find_if(spec.layers.begin(), spec.layers.end(), [&](const Layer& l) { return l.name == name; });
}

}  // namespace

TEST_CASE("a network orders, shapes and counts its layers", "[network]")
{
    auto net = Network::create(smallResidual());
    REQUIRE(net.ok());
    CHECK(net->layers().size() == 7);
    CHECK(net->dims().at("batch") == 2);
    CHECK(net->findTensor("fc")->shape == Shape{2, 10});
    CHECK(net->outputs() == std::vector<std::string>{"fc"});
    CHECK(net->findLayer("bn1")->foldsInto == "conv1");
    const auto& t = net->totals();
    CHECK(t.macLayers == 3);
    CHECK(t.macs == 2 * (8 * 8 * 8 * 27 + 8 * 8 * 8 * 72 + 512 * 10));
    CHECK(t.params == 8 * 27 + 16 + 8 * 72 + 8 + 512 * 10 + 10);
    CHECK(net->warnings().empty());
}

TEST_CASE("layers listed in any order come out in topological order", "[network]")
{
    NetworkSpec spec = smallResidual();
    std::reverse(spec.layers.begin(), spec.layers.end());
    auto net = Network::create(spec);
    REQUIRE(net.ok());
    std::vector<std::string> order;
    for (const auto& layer : net->layers())
        order.push_back(layer.name);
    CHECK(order == std::vector<std::string>{"conv1", "bn1", "relu1", "conv2", "add", "flatten", "fc"});
}

TEST_CASE("symbolic dimensions take bindings, defaults, or 1 with a warning", "[network][dims]")
{
    auto four = Network::create(smallResidual(), {{"batch", 4}});
    REQUIRE(four.ok());
    CHECK(four->findTensor("input")->shape[0] == 4);

    NetworkSpec spec = smallResidual();
    spec.dimDefaults.clear();
    auto unset = Network::create(spec);
    REQUIRE(unset.ok());
    CHECK(unset->dims().at("batch") == 1);
    REQUIRE(unset->warnings().size() == 1);
    CHECK_THAT(unset->warnings()[0], Catch::Contains("dimension batch") && Catch::Contains("using 1"));

    auto unused = Network::create(smallResidual(), {{"seq_len", 64}});
    REQUIRE(unused.ok());
    CHECK_THAT(unused->warnings().at(0), Catch::Contains("seq_len = 64 is not used"));

    CHECK_THAT(errorOf(smallResidual(), {{"batch", 0}}), Catch::Contains("batch = 0 must be at least 1"));
}

TEST_CASE("structural errors name the layer and what is wrong", "[network][errors]")
{
    SECTION("duplicate names")
    {
        NetworkSpec spec = smallResidual();
        layerNamed(spec, "conv2").name = "conv1";
        CHECK_THAT(errorOf(spec), Catch::Contains("layer \"conv1\"") && Catch::Contains("also named"));
    }
    SECTION("an unknown tensor, with a suggestion")
    {
        NetworkSpec spec = smallResidual();
        layerNamed(spec, "fc").inputs = {"flaten"};
        CHECK_THAT(errorOf(spec), Catch::Contains("layer \"fc\"") && Catch::Contains("reads tensor \"flaten\"") &&
                                      Catch::Contains("did you mean \"flatten\"?"));
    }
    SECTION("a cycle names its layers")
    {
        NetworkSpec spec = smallResidual();
        layerNamed(spec, "conv1").inputs = {"add"};
        CHECK_THAT(errorOf(spec), Catch::Contains("cycle") && Catch::Contains("\"conv1\"") && Catch::Contains("\"add\""));
    }
    SECTION("a layer reading its own output")
    {
        NetworkSpec spec = smallResidual();
        layerNamed(spec, "relu1").inputs = {"relu1"};
        CHECK_THAT(errorOf(spec), Catch::Contains("reads its own output"));
    }
    SECTION("a shape mismatch names the layer")
    {
        NetworkSpec spec = smallResidual();
        std::get<ConvParams>(layerNamed(spec, "conv2").params).outChannels = 16;
        CHECK_THAT(errorOf(spec), Catch::Contains("layer \"add\"") && Catch::Contains("cannot be broadcast"));
    }
    SECTION("an output that is not a tensor")
    {
        NetworkSpec spec = smallResidual();
        spec.outputs = {"logits"};
        CHECK_THAT(errorOf(spec), Catch::Contains("network output \"logits\""));
    }
    SECTION("parameters of the wrong kind")
    {
        NetworkSpec spec = smallResidual();
        layerNamed(spec, "fc").kind = LayerKind::Conv;
        CHECK_THAT(errorOf(spec), Catch::Contains("do not belong to a conv layer"));
    }
    SECTION("empty networks")
    {
        NetworkSpec spec = smallResidual();
        spec.layers.clear();
        CHECK_THAT(errorOf(spec), Catch::Contains("no layers"));
    }
    SECTION("a dimension above the limit")
    {
        NetworkSpec spec = smallResidual();
        spec.inputs[0].dims[2] = DimValue::fixed(1'000'000'000'000);
        CHECK_THAT(errorOf(spec), Catch::Contains("dimension of 1000000000000, above the limit"));
    }
    SECTION("dimensions within the limit whose product exceeds 64 bits")
    {
        NetworkSpec spec = smallResidual();
        spec.inputs[0].dims = {DimValue::fixed(Dim{1} << 31), DimValue::fixed(Dim{1} << 31),
                               DimValue::fixed(Dim{1} << 31), DimValue::fixed(Dim{1} << 31)};
        CHECK_THAT(errorOf(spec), Catch::Contains("64-bit"));
    }
    SECTION("a tensor above the element limit")
    {
        NetworkSpec spec = smallResidual();
        spec.inputs[0].dims = {DimValue::fixed(1 << 20), DimValue::fixed(3), DimValue::fixed(1 << 20),
                               DimValue::fixed(1 << 10)};
        CHECK_THAT(errorOf(spec), Catch::Contains("elements, above the limit"));
    }
    SECTION("a locator names the place in the source file")
    {
        NetworkSpec spec = smallResidual();
        layerNamed(spec, "fc").inputs = {"nowhere"};
        auto net = Network::create(spec, {}, [](std::size_t i) { return "/layers/" + std::to_string(i); });
        REQUIRE_FALSE(net.ok());
        CHECK(net.error().location == "/layers/6");
    }
}

TEST_CASE("a split layer without output names gets numbered outputs", "[network]")
{
    NetworkBuilder b("split");
    const std::string x = b.input("x", {DimValue::fixed(1), DimValue::fixed(6)});
    b.layer("parts", LayerKind::Split, {x}, SplitParams{1, {2, 4}});
    b.layer("join", LayerKind::Concat, {"parts:1", "parts:0"}, ConcatParams{1});
    auto net = Network::create(std::move(b).build());
    REQUIRE(net.ok());
    CHECK(net->findTensor("parts:1")->shape == Shape{1, 4});
    CHECK(net->findTensor("join")->shape == Shape{1, 6});
}

TEST_CASE("toSpec recreates the same network", "[network]")
{
    auto net = Network::create(smallResidual());
    REQUIRE(net.ok());
    auto again = Network::create(net->toSpec());
    REQUIRE(again.ok());
    CHECK(again->totals().macs == net->totals().macs);
    CHECK(again->layers().size() == net->layers().size());
}
