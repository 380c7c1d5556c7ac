#include "core/network/layercounter.h"
#include "core/network/shapeinference.h"
#include "core/util/checkedmath.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

LayerCounts count(LayerKind kind, LayerParams params, std::vector<Shape> inputs)
{
    Layer layer;
    layer.name = "x";
    layer.kind = kind;
    layer.params = std::move(params);
    layer.inputShapes = std::move(inputs);
    layer.outputs = {"y"};
    inferLayerShapes(layer);
    return countLayer(layer);
}

ConvParams conv(Dim out, Dim k, Dim stride, Dim pad, Dim groups, bool bias)
{
    ConvParams p;
    p.outChannels = out;
    p.kernel = {k, k};
    p.stride = {stride};
    p.padBegin = {pad};
    p.groups = groups;
    p.bias = bias;
    return p;
}

}  // namespace

TEST_CASE("convolution counts", "[count][conv]")
{
    SECTION("dense 3x3 with bias")
    {
        // VGG conv1_1: 224x224x64 outputs, 3x3x3 kernel.
        const auto c = count(LayerKind::Conv, conv(64, 3, 1, 1, 1, true), {{1, 3, 224, 224}});
        CHECK(c.macs == 224LL * 224 * 64 * 27);
        CHECK(c.weights == 64 * 27);
        CHECK(c.params == 64 * 27 + 64);
        CHECK(c.ops == 224LL * 224 * 64);  // one bias add per output
        CHECK(c.inputElements == 3 * 224 * 224);
        CHECK(c.outputElements == 64 * 224 * 224);
    }
    SECTION("depthwise: one input channel per filter")
    {
        const auto c = count(LayerKind::Conv, conv(32, 3, 1, 1, 32, false), {{1, 32, 112, 112}});
        CHECK(c.weights == 32 * 9);
        CHECK(c.macs == 112LL * 112 * 32 * 9);
        CHECK(c.ops == 0);
    }
    SECTION("grouped: channels per group")
    {
        const auto c = count(LayerKind::Conv, conv(256, 5, 1, 2, 2, true), {{1, 96, 27, 27}});  // AlexNet conv2, 2 towers
        CHECK(c.weights == 256 * 48 * 25);
        CHECK(c.macs == 27LL * 27 * 256 * 48 * 25);
    }
    SECTION("strided and dilated")
    {
        ConvParams p = conv(8, 3, 2, 2, 1, false);
        p.dilation = {2, 2};
        const auto c = count(LayerKind::Conv, p, {{1, 4, 16, 16}});
        // span 5, (16 + 4 - 5) / 2 + 1 = 8
        CHECK(c.outputElements == 8 * 8 * 8);
        CHECK(c.macs == 8LL * 8 * 8 * 4 * 9);
    }
    SECTION("batch multiplies MACs but not weights")
    {
        const auto one = count(LayerKind::Conv, conv(16, 3, 1, 1, 1, false), {{1, 8, 10, 10}});
        const auto four = count(LayerKind::Conv, conv(16, 3, 1, 1, 1, false), {{4, 8, 10, 10}});
        CHECK(four.macs == 4 * one.macs);
        CHECK(four.params == one.params);
    }
}

TEST_CASE("fully connected and matmul counts", "[count][fc]")
{
    const auto fc = count(LayerKind::FullyConnected, FullyConnectedParams{4096, true}, {{1, 25088}});
    CHECK(fc.macs == 25088LL * 4096);
    CHECK(fc.params == 25088LL * 4096 + 4096);
    CHECK(fc.ops == 4096);

    const auto seq = count(LayerKind::FullyConnected, FullyConnectedParams{768, false}, {{2, 128, 768}});
    CHECK(seq.macs == 2LL * 128 * 768 * 768);
    CHECK(seq.params == 768 * 768);

    const auto qk = count(LayerKind::MatMul, MatMulParams{false, true}, {{1, 12, 128, 64}, {1, 12, 128, 64}});
    CHECK(qk.macs == 12LL * 128 * 128 * 64);
    CHECK(qk.params == 0);
    CHECK(qk.weights == 0);
    CHECK(qk.inputElements == 2 * 12 * 128 * 64);
}

TEST_CASE("recurrent counts", "[count][lstm]")
{
    SECTION("ESE's LSTM with projection and peepholes")
    {
        RecurrentParams p;
        p.hidden = 1024;
        p.projection = 512;
        p.peepholes = true;
        p.biasVectors = 1;
        const auto c = count(LayerKind::Lstm, p, {{1, 1, 153}});
        const Dim gates = 4 * 1024 * (153 + 512);
        const Dim projection = 1024 * 512;
        const Dim peepholes = 3 * 1024;
        CHECK(c.weights == gates + projection + peepholes);
        CHECK(c.params == gates + projection + peepholes + 4 * 1024);
        CHECK(c.macs == c.weights);  // one step, one sequence
        CHECK(c.ops == 9 * 1024 + 4 * 1024);
        const auto steps = count(LayerKind::Lstm, p, {{20, 32, 153}});
        CHECK(steps.macs == 20 * 32 * c.macs);
    }
    SECTION("two bidirectional layers: the second reads both directions")
    {
        RecurrentParams p;
        p.hidden = 64;
        p.directions = 2;
        p.numLayers = 2;
        const auto c = count(LayerKind::Lstm, p, {{5, 1, 10}});
        const Dim first = 4 * 64 * (10 + 64);
        const Dim second = 4 * 64 * (128 + 64);
        CHECK(c.weights == 2 * (first + second));
        CHECK(c.params == c.weights + 2 * 2 * 2 * 4 * 64);
        CHECK(c.macs == 5 * c.weights);
    }
    SECTION("GRU and RNN gates")
    {
        RecurrentParams p;
        p.hidden = 128;
        CHECK(count(LayerKind::Gru, p, {{1, 1, 64}}).weights == 3 * 128 * (64 + 128));
        CHECK(count(LayerKind::Rnn, p, {{1, 1, 64}}).weights == 128 * (64 + 128));
    }
}

TEST_CASE("non-MAC operations", "[count][ops]")
{
    PoolParams max;
    max.kernel = {2};
    CHECK(count(LayerKind::Pool, max, {{1, 8, 4, 4}}).ops == 8 * 2 * 2 * 4);
    PoolParams global;
    global.global = true;
    global.mode = PoolMode::Average;
    CHECK(count(LayerKind::Pool, global, {{1, 8, 7, 7}}).ops == 8 * 49);

    CHECK(count(LayerKind::Eltwise, EltwiseParams{}, {{1, 10}, {1, 10}, {1, 10}}).ops == 20);
    CHECK(count(LayerKind::Eltwise, EltwiseParams{.op = EltwiseOp::Mul, .scalar = 2.0}, {{1, 10}}).ops == 10);
    CHECK(count(LayerKind::Activation, ActivationParams{}, {{3, 5}}).ops == 15);

    const auto bn = count(LayerKind::BatchNorm, BatchNormParams{}, {{1, 16, 4, 4}});
    CHECK(bn.params == 32);
    CHECK(bn.ops == 2 * 256);
    const auto ln = count(LayerKind::LayerNorm, LayerNormParams{}, {{1, 4, 768}});
    CHECK(ln.params == 2 * 768);
    CHECK(ln.ops == 7 * 4 * 768);
    CHECK(count(LayerKind::Softmax, SoftmaxParams{}, {{2, 10}}).ops == 60);
    CHECK(count(LayerKind::Embedding, EmbeddingParams{30522, 768}, {{1, 8}}).params == 30522LL * 768);
    CHECK(count(LayerKind::Reshape, ReshapeParams{{-1}}, {{2, 3}}).ops == 0);
}

TEST_CASE("counts past 64 bits are refused, not wrapped", "[count][overflow]")
{
    // 10^12 x 10^12 inputs would wrap around; the counter must throw.
    CHECK_THROWS_AS(count(LayerKind::FullyConnected, FullyConnectedParams{1'000'000'000'000, true},
                          {{1'000'000'000'000, 1'000'000}}),
                    CountOverflow);
    CHECK_THROWS_AS(checkedMul(INT64_MAX, 2), CountOverflow);
    CHECK(checkedMul(3037000499LL, 3037000499LL) == 9223372030926249001LL);
}

TEST_CASE("transposed convolution, reduction and constant operand counts", "[count]")
{
    ConvParams up = conv(16, 4, 2, 1, 1, true);
    const auto t = count(LayerKind::ConvTranspose, up, {{1, 32, 8, 8}});
    CHECK(t.weights == 32 * 16 * 16);
    CHECK(t.macs == 32LL * 8 * 8 * 16 * 16);  // every input element meets every tap of every output channel
    CHECK(t.params == 32 * 16 * 16 + 16);

    CHECK(count(LayerKind::Reduce, ReduceParams{ReduceOp::Mean, {-1}, true}, {{2, 5, 7}}).ops == 70);

    const auto scaled = count(LayerKind::Eltwise, EltwiseParams{.op = EltwiseOp::Mul, .constant = Shape{16, 1, 1}},
                              {{1, 16, 8, 8}});
    CHECK(scaled.params == 16);
    CHECK(scaled.ops == 16 * 64);
}

TEST_CASE("constants stored with a layer are its parameters", "[count]")
{
    Layer layer;
    layer.name = "bn";
    layer.kind = LayerKind::BatchNorm;
    layer.params = BatchNormParams{};
    layer.inputShapes = {{1, 8, 4, 4}};
    layer.outputs = {"y"};
    inferLayerShapes(layer);
    CHECK(countLayer(layer).params == 16);  // scale and shift, as torchvision counts
    for (const char* role : {"scale", "bias", "mean", "var"})
        layer.weightData.push_back(WeightTensor{role, {8}, nullptr});
    CHECK(countLayer(layer).params == 32);  // what an ONNX file stores
}
