#include "core/network/shapeinference.h"
#include "core/util/error.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

Layer makeLayer(LayerKind kind, LayerParams params, std::vector<Shape> inputs, std::size_t outputs = 1)
{
    Layer layer;
    layer.name = "x";
    layer.kind = kind;
    layer.params = std::move(params);
    layer.inputShapes = std::move(inputs);
    for (std::size_t i = 0; i < outputs; ++i)
        layer.outputs.push_back("out" + std::to_string(i));
    return layer;
}

Shape inferOne(LayerKind kind, LayerParams params, std::vector<Shape> inputs)
{
    Layer layer = makeLayer(kind, std::move(params), std::move(inputs));
    inferLayerShapes(layer);
    REQUIRE(layer.outputShapes.size() == 1);
    return layer.outputShapes[0];
}

std::string failure(LayerKind kind, LayerParams params, std::vector<Shape> inputs, std::size_t outputs = 1)
{
    Layer layer = makeLayer(kind, std::move(params), std::move(inputs), outputs);
    try {
        inferLayerShapes(layer);
    } catch (const InputError& e) {
        return e.error().message;
    }
    FAIL("expected the shape inference to fail");
    return {};
}

ConvParams conv(Dim out, std::vector<Dim> kernel, std::vector<Dim> stride = {}, std::vector<Dim> pad = {},
                Dim groups = 1, std::vector<Dim> dilation = {})
{
    ConvParams p;
    p.outChannels = out;
    p.kernel = std::move(kernel);
    p.stride = std::move(stride);
    p.padBegin = std::move(pad);
    p.groups = groups;
    p.dilation = std::move(dilation);
    return p;
}

}  // namespace

TEST_CASE("convolution output shapes", "[shape][conv]")
{
    SECTION("same padding keeps the size")
    {
        CHECK(inferOne(LayerKind::Conv, conv(64, {3, 3}, {}, {1}), {{1, 3, 224, 224}}) == Shape{1, 64, 224, 224});
    }
    SECTION("strided 7x7 as in ResNet's stem")
    {
        CHECK(inferOne(LayerKind::Conv, conv(64, {7, 7}, {2}, {3}), {{2, 3, 224, 224}}) == Shape{2, 64, 112, 112});
    }
    SECTION("AlexNet conv1: 11x11 stride 4 pad 2")
    {
        CHECK(inferOne(LayerKind::Conv, conv(64, {11, 11}, {4, 4}, {2, 2}), {{1, 3, 224, 224}}) == Shape{1, 64, 55, 55});
    }
    SECTION("dilation widens the window")
    {
        // span = 2 * (3 - 1) + 1 = 5; (32 + 2 - 5) / 1 + 1 = 30
        CHECK(inferOne(LayerKind::Conv, conv(8, {3, 3}, {}, {1}, 1, {2}), {{1, 4, 32, 32}}) == Shape{1, 8, 30, 30});
    }
    SECTION("grouped and depthwise")
    {
        CHECK(inferOne(LayerKind::Conv, conv(64, {3, 3}, {}, {1}, 4), {{1, 32, 10, 10}}) == Shape{1, 64, 10, 10});
        CHECK(inferOne(LayerKind::Conv, conv(32, {3, 3}, {2}, {1}, 32), {{1, 32, 10, 10}}) == Shape{1, 32, 5, 5});
    }
    SECTION("1-D convolution with asymmetric padding")
    {
        ConvParams p = conv(16, {5}, {1});
        p.padBegin = {4};
        p.padEnd = {0};  // causal
        CHECK(inferOne(LayerKind::Conv, p, {{1, 8, 100}}) == Shape{1, 16, 100});
    }
    SECTION("rectangular kernel and stride")
    {
        CHECK(inferOne(LayerKind::Conv, conv(4, {1, 7}, {1, 2}, {0, 3}), {{1, 2, 9, 20}}) == Shape{1, 4, 9, 10});
    }
}

TEST_CASE("convolution errors say what does not fit", "[shape][conv]")
{
    CHECK_THAT(failure(LayerKind::Conv, conv(64, {3, 3}, {}, {}, 3), {{1, 32, 8, 8}}),
               Catch::Contains("32 channels") && Catch::Contains("groups = 3"));
    CHECK_THAT(failure(LayerKind::Conv, conv(10, {3, 3}, {}, {}, 4), {{1, 8, 8, 8}}),
               Catch::Contains("out_channels = 10 is not divisible"));
    CHECK_THAT(failure(LayerKind::Conv, conv(8, {3, 3}), {{1, 3, 224}}), Catch::Contains("expected rank 4"));
    CHECK_THAT(failure(LayerKind::Conv, conv(8, {9, 9}), {{1, 3, 4, 4}}), Catch::Contains("does not fit"));
    CHECK_THAT(failure(LayerKind::Conv, conv(8, {3, 3}, {0}), {{1, 3, 8, 8}}), Catch::Contains("stride must be at least 1"));
    CHECK_THAT(failure(LayerKind::Conv, conv(8, {3, 3}, {1, 1, 1}), {{1, 3, 8, 8}}), Catch::Contains("stride has 3 values"));
}

TEST_CASE("pooling output shapes", "[shape][pool]")
{
    PoolParams max;
    max.kernel = {3};
    max.stride = {2};
    max.padBegin = {1};
    CHECK(inferOne(LayerKind::Pool, max, {{1, 64, 112, 112}}) == Shape{1, 64, 56, 56});

    SECTION("ceil mode adds the partial window")
    {
        PoolParams p;
        p.kernel = {2};
        p.ceilMode = true;
        CHECK(inferOne(LayerKind::Pool, p, {{1, 8, 7, 7}}) == Shape{1, 8, 4, 4});
        p.ceilMode = false;
        CHECK(inferOne(LayerKind::Pool, p, {{1, 8, 7, 7}}) == Shape{1, 8, 3, 3});
    }
    SECTION("global and adaptive")
    {
        PoolParams g;
        g.mode = PoolMode::Average;
        g.global = true;
        CHECK(inferOne(LayerKind::Pool, g, {{2, 512, 7, 7}}) == Shape{2, 512, 1, 1});
        PoolParams a;
        a.mode = PoolMode::Average;
        a.outputSize = {6, 6};
        CHECK(inferOne(LayerKind::Pool, a, {{1, 256, 13, 13}}) == Shape{1, 256, 6, 6});
        a.outputSize = {20};
        CHECK_THAT(failure(LayerKind::Pool, a, {{1, 256, 13, 13}}), Catch::Contains("larger than the input"));
    }
    SECTION("Darknet's stride-1 pool padded at the end keeps 13x13")
    {
        PoolParams p;
        p.kernel = {2, 2};
        p.stride = {1, 1};
        p.padBegin = {0, 0};
        p.padEnd = {1, 1};
        CHECK(inferOne(LayerKind::Pool, p, {{1, 512, 13, 13}}) == Shape{1, 512, 13, 13});
    }
    SECTION("a pool needs a window")
    {
        CHECK_THAT(failure(LayerKind::Pool, PoolParams{}, {{1, 8, 7, 7}}), Catch::Contains("needs a kernel"));
    }
}

TEST_CASE("fully connected and matmul shapes", "[shape][fc][matmul]")
{
    CHECK(inferOne(LayerKind::FullyConnected, FullyConnectedParams{1000, true}, {{4, 2048}}) == Shape{4, 1000});
    CHECK(inferOne(LayerKind::FullyConnected, FullyConnectedParams{3072, true}, {{1, 128, 768}}) == Shape{1, 128, 3072});

    // Attention: QK^T and AV with heads as a batch dimension.
    CHECK(inferOne(LayerKind::MatMul, MatMulParams{false, true}, {{2, 12, 128, 64}, {2, 12, 128, 64}}) ==
          Shape{2, 12, 128, 128});
    CHECK(inferOne(LayerKind::MatMul, MatMulParams{}, {{2, 12, 128, 128}, {2, 12, 128, 64}}) == Shape{2, 12, 128, 64});
    // Broadcast batch dimensions.
    CHECK(inferOne(LayerKind::MatMul, MatMulParams{}, {{5, 1, 3, 4}, {6, 4, 2}}) == Shape{5, 6, 3, 2});
    CHECK_THAT(failure(LayerKind::MatMul, MatMulParams{}, {{3, 4}, {5, 6}}), Catch::Contains("inner dimensions differ"));
    CHECK_THAT(failure(LayerKind::MatMul, MatMulParams{}, {{3, 4}}), Catch::Contains("takes 2 input(s)"));
}

TEST_CASE("recurrent layers", "[shape][lstm]")
{
    RecurrentParams p;
    p.hidden = 1024;
    p.projection = 512;
    CHECK(inferOne(LayerKind::Lstm, p, {{20, 32, 153}}) == Shape{20, 32, 512});
    p.directions = 2;
    CHECK(inferOne(LayerKind::Lstm, p, {{20, 32, 153}}) == Shape{20, 32, 1024});

    RecurrentParams gru;
    gru.hidden = 64;
    gru.projection = 16;
    CHECK_THAT(failure(LayerKind::Gru, gru, {{1, 1, 8}}), Catch::Contains("only for lstm"));
    gru.projection = 0;
    CHECK(inferOne(LayerKind::Gru, gru, {{7, 1, 8}}) == Shape{7, 1, 64});
    CHECK_THAT(failure(LayerKind::Rnn, gru, {{7, 8}}), Catch::Contains("[sequence, batch, features]"));
}

TEST_CASE("element-wise, activations and normalisation keep or broadcast shapes", "[shape]")
{
    CHECK(inferOne(LayerKind::Eltwise, EltwiseParams{}, {{1, 64, 56, 56}, {1, 64, 56, 56}}) == Shape{1, 64, 56, 56});
    CHECK(inferOne(LayerKind::Eltwise, EltwiseParams{}, {{1, 128, 768}, {1, 128, 768}, {1, 1, 768}}) == Shape{1, 128, 768});
    CHECK(inferOne(LayerKind::Eltwise, EltwiseParams{.op = EltwiseOp::Mul, .scalar = 0.125}, {{2, 3}}) == Shape{2, 3});
    CHECK_THAT(failure(LayerKind::Eltwise, EltwiseParams{}, {{1, 64, 56, 56}, {1, 128, 56, 56}}),
               Catch::Contains("1x64x56x56 and 1x128x56x56 cannot be broadcast"));
    CHECK_THAT(failure(LayerKind::Eltwise, EltwiseParams{}, {{1, 64}}), Catch::Contains("at least 2"));

    CHECK(inferOne(LayerKind::Activation, ActivationParams{ActivationFn::HardSwish}, {{1, 16, 8, 8}}) == Shape{1, 16, 8, 8});
    CHECK_THAT(failure(LayerKind::Activation, ActivationParams{ActivationFn::Clip, 6.0, 0.0}, {{4}}),
               Catch::Contains("above its maximum"));
    CHECK(inferOne(LayerKind::BatchNorm, BatchNormParams{}, {{1, 16, 8, 8}}) == Shape{1, 16, 8, 8});
    CHECK(inferOne(LayerKind::LayerNorm, LayerNormParams{}, {{1, 128, 768}}) == Shape{1, 128, 768});
    CHECK_THAT(failure(LayerKind::Softmax, SoftmaxParams{3}, {{1, 128, 768}}), Catch::Contains("axis 3 is out of range"));
    CHECK(inferOne(LayerKind::Embedding, EmbeddingParams{30522, 768}, {{2, 128}}) == Shape{2, 128, 768});
}

TEST_CASE("shape-only operators", "[shape]")
{
    CHECK(inferOne(LayerKind::Reshape, ReshapeParams{{0, 0, 12, 64}}, {{1, 128, 768}}) == Shape{1, 128, 12, 64});
    CHECK(inferOne(LayerKind::Reshape, ReshapeParams{{0, -1}}, {{4, 512, 7, 7}}) == Shape{4, 25088});
    CHECK_THAT(failure(LayerKind::Reshape, ReshapeParams{{1, 4096}}, {{1, 512, 7, 7}}),
               Catch::Contains("cannot reshape 1x512x7x7 (25088 elements)"));
    CHECK_THAT(failure(LayerKind::Reshape, ReshapeParams{{-1, -1}}, {{4, 4}}), Catch::Contains("more than one -1"));

    CHECK(inferOne(LayerKind::Transpose, TransposeParams{{0, 2, 1, 3}}, {{1, 128, 12, 64}}) == Shape{1, 12, 128, 64});
    CHECK(inferOne(LayerKind::Transpose, TransposeParams{}, {{2, 3, 4}}) == Shape{4, 3, 2});
    CHECK_THAT(failure(LayerKind::Transpose, TransposeParams{{0, 0, 1}}, {{2, 3, 4}}), Catch::Contains("not a permutation"));

    CHECK(inferOne(LayerKind::Concat, ConcatParams{1}, {{1, 64, 8, 8}, {1, 32, 8, 8}}) == Shape{1, 96, 8, 8});
    CHECK_THAT(failure(LayerKind::Concat, ConcatParams{1}, {{1, 64, 8, 8}, {1, 32, 4, 8}}), Catch::Contains("does not match"));

    CHECK(inferOne(LayerKind::Flatten, FlattenParams{1}, {{2, 512, 7, 7}}) == Shape{2, 25088});
    CHECK(inferOne(LayerKind::Flatten, FlattenParams{0}, {{2, 3}}) == Shape{1, 6});

    CHECK(inferOne(LayerKind::Pad, PadParams{{0, 0, 1, 2}, {0, 0, 1, 2}}, {{1, 3, 8, 8}}) == Shape{1, 3, 10, 12});
    CHECK(inferOne(LayerKind::Resize, ResizeParams{{1, 1, 2, 2}, {}, "nearest"}, {{1, 3, 8, 8}}) == Shape{1, 3, 16, 16});
    CHECK(inferOne(LayerKind::Resize, ResizeParams{{}, {1, 3, 5, 5}, "linear"}, {{1, 3, 8, 8}}) == Shape{1, 3, 5, 5});
    CHECK_THAT(failure(LayerKind::Resize, ResizeParams{{2}, {4}, "nearest"}, {{4}}), Catch::Contains("exactly one"));

    SECTION("slice follows ONNX: negative indices, clamped ends, steps")
    {
        CHECK(inferOne(LayerKind::Slice, SliceParams{{1}, {0}, {1}, {}}, {{2, 128, 768}}) == Shape{2, 1, 768});
        CHECK(inferOne(LayerKind::Slice, SliceParams{{-1}, {-4}, {1000}, {}}, {{2, 10}}) == Shape{2, 4});
        CHECK(inferOne(LayerKind::Slice, SliceParams{{0}, {0}, {10}, {3}}, {{10}}) == Shape{4});
        CHECK(inferOne(LayerKind::Slice, SliceParams{{0}, {-1}, {-1000}, {-1}}, {{10}}) == Shape{10});
        CHECK_THAT(failure(LayerKind::Slice, SliceParams{{0}, {5}, {5}, {}}, {{10}}), Catch::Contains("empty"));
    }
    SECTION("split into sizes or equal parts")
    {
        Layer layer = makeLayer(LayerKind::Split, SplitParams{2, {}}, {{1, 8, 2304}}, 3);
        inferLayerShapes(layer);
        REQUIRE(layer.outputShapes.size() == 3);
        CHECK(layer.outputShapes[2] == Shape{1, 8, 768});
        CHECK_THAT(failure(LayerKind::Split, SplitParams{0, {3, 3}}, {{7}}, 2), Catch::Contains("add up to 6"));
        CHECK_THAT(failure(LayerKind::Split, SplitParams{0, {}}, {{7}}, 2), Catch::Contains("2 equal parts"));
    }
    SECTION("an unmodelled operator carries its shapes")
    {
        OtherParams p{"NonMaxSuppression", {{10, 3}}, 0};
        CHECK(inferOne(LayerKind::Other, p, {{1, 100, 4}}) == Shape{10, 3});
    }
}

TEST_CASE("transposed convolution, reduction and constant operands", "[shape]")
{
    ConvParams up = conv(16, {4, 4}, {2}, {1});
    CHECK(inferOne(LayerKind::ConvTranspose, up, {{1, 32, 8, 8}}) == Shape{1, 16, 16, 16});
    ConvParams outPad = conv(8, {3}, {2}, {1});
    outPad.outputPadding = {1};
    CHECK(inferOne(LayerKind::ConvTranspose, outPad, {{1, 4, 10}}) == Shape{1, 8, 20});
    ConvParams notTransposed = conv(8, {3});
    notTransposed.outputPadding = {1};
    CHECK_THAT(failure(LayerKind::Conv, notTransposed, {{1, 4, 10}}), Catch::Contains("conv_transpose only"));

    CHECK(inferOne(LayerKind::Reduce, ReduceParams{ReduceOp::Mean, {-1}, true}, {{2, 5, 7}}) == Shape{2, 5, 1});
    CHECK(inferOne(LayerKind::Reduce, ReduceParams{ReduceOp::Sum, {1, 2}, false}, {{2, 5, 7}}) == Shape{2});
    CHECK(inferOne(LayerKind::Reduce, ReduceParams{ReduceOp::Max, {}, false}, {{2, 5, 7}}) == Shape{});
    CHECK_THAT(failure(LayerKind::Reduce, ReduceParams{ReduceOp::Mean, {1, -2}, true}, {{2, 5, 7}}),
               Catch::Contains("listed twice"));

    CHECK(inferOne(LayerKind::Eltwise, EltwiseParams{.op = EltwiseOp::Mul, .constant = Shape{16, 1, 1}}, {{1, 16, 8, 8}}) ==
          Shape{1, 16, 8, 8});
    CHECK_THAT(failure(LayerKind::Eltwise, EltwiseParams{.op = EltwiseOp::Add, .constant = Shape{3}}, {{1, 16}}),
               Catch::Contains("constant shape 3 cannot be broadcast"));
}
