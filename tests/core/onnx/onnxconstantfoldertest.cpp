#include "core/onnx/onnxconstantfolder.h"
#include "core/util/error.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

OnnxNode node(const std::string& op, std::size_t outputs = 1)
{
    OnnxNode n;
    n.opType = op;
    for (std::size_t i = 0; i < outputs; ++i)
        n.outputs.push_back("out" + std::to_string(i));
    return n;
}

OnnxAttribute ints(std::vector<std::int64_t> v)
{
    OnnxAttribute a;
    a.type = OnnxAttribute::Type::Ints;
    a.ints = std::move(v);
    return a;
}

OnnxAttribute integer(std::int64_t v)
{
    OnnxAttribute a;
    a.type = OnnxAttribute::Type::Int;
    a.i = v;
    return a;
}

OnnxTensor i64(Shape dims, std::vector<std::int64_t> v) { return OnnxTensor::fromInts(std::move(dims), std::move(v)); }
OnnxTensor f32(Shape dims, std::vector<float> v) { return OnnxTensor::fromFloats(std::move(dims), std::move(v)); }

OnnxTensor fold(const OnnxNode& n, std::vector<const OnnxTensor*> inputs, std::int64_t opset = 13)
{
    auto out = foldOnnxNode(n, inputs, opset);
    REQUIRE(out.size() >= 1);
    return out[0];
}

}  // namespace

TEST_CASE("shape arithmetic folds to the values exporters expect", "[onnx][fold]")
{
    // Shape -> Gather -> Unsqueeze -> Concat, as PyTorch writes a dynamic reshape.
    OnnxTensor activation;
    activation.dims = {2, 3, 5};
    const auto shape = fold(node("Shape"), {&activation});
    CHECK(shape.asInts() == std::vector<std::int64_t>{2, 3, 5});

    OnnxNode gather = node("Gather");
    gather.attributes["axis"] = integer(0);
    const auto index = i64({}, {-1});
    const auto last = fold(gather, {&shape, &index});
    CHECK(last.dims.empty());
    CHECK(last.asInts() == std::vector<std::int64_t>{5});

    const auto axes = i64({1}, {0});
    const auto unsqueezed = fold(node("Unsqueeze"), {&last, &axes});
    CHECK(unsqueezed.dims == Shape{1});

    OnnxNode concat = node("Concat");
    concat.attributes["axis"] = integer(0);
    const auto minusOne = i64({1}, {-1});
    CHECK(fold(concat, {&minusOne, &unsqueezed}).asInts() == std::vector<std::int64_t>{-1, 5});

    // Shape's start and end (opset 15).
    OnnxNode part = node("Shape");
    part.attributes["start"] = integer(1);
    part.attributes["end"] = integer(-1);
    CHECK(fold(part, {&activation}, 15).asInts() == std::vector<std::int64_t>{3});
}

TEST_CASE("weights are rewritten as stored: transpose, slice, reshape", "[onnx][fold]")
{
    const auto w = f32({2, 3}, {0, 1, 2, 3, 4, 5});
    OnnxNode t = node("Transpose");
    t.attributes["perm"] = ints({1, 0});
    const auto wt = fold(t, {&w});
    CHECK(wt.dims == Shape{3, 2});
    CHECK(*wt.floats == std::vector<float>{0, 3, 1, 4, 2, 5});

    // Slice with negative start, clamped end and a step (opset 10+: inputs).
    const auto v = f32({6}, {0, 1, 2, 3, 4, 5});
    const auto starts = i64({1}, {-5}), ends = i64({1}, {1000}), axes = i64({1}, {0}), steps = i64({1}, {2});
    CHECK(*fold(node("Slice"), {&v, &starts, &ends, &axes, &steps}).floats == std::vector<float>{1, 3, 5});
    // ... and with attributes (opset 9).
    OnnxNode old = node("Slice");
    old.attributes["starts"] = ints({1});
    old.attributes["ends"] = ints({3});
    CHECK(*fold(old, {&v}, 9).floats == std::vector<float>{1, 2});

    const auto target = i64({2}, {3, -1});
    CHECK(fold(node("Reshape"), {&w, &target}).dims == Shape{3, 2});
    const auto bad = i64({2}, {4, -1});
    CHECK_THROWS_AS(fold(node("Reshape"), {&w, &bad}), InputError);
}

TEST_CASE("conditions and casts fold for If nodes", "[onnx][fold]")
{
    const auto a = i64({}, {3}), b = i64({}, {3});
    const auto equal = fold(node("Equal"), {&a, &b});
    CHECK(equal.type == OnnxElementType::Bool);
    CHECK(equal.value(0) == 1.0);
    CHECK(fold(node("Not"), {&equal}).value(0) == 0.0);
    OnnxNode cast = node("Cast");
    cast.attributes["to"] = integer(static_cast<int>(OnnxElementType::Float));
    const auto f = fold(cast, {&a});
    CHECK(f.isFloat());
    CHECK(f.value(0) == 3.0);

    const auto condition = OnnxTensor::fromInts({3}, {1, 0, 1}, OnnxElementType::Bool);
    const auto x = f32({3}, {1, 2, 3}), y = f32({1}, {-1});
    CHECK(*fold(node("Where"), {&condition, &x, &y}).floats == std::vector<float>{1, -1, 3});
}

TEST_CASE("arithmetic broadcasts like NumPy", "[onnx][fold]")
{
    const auto m = f32({2, 3}, {1, 2, 3, 4, 5, 6});
    const auto row = f32({3}, {10, 20, 30});
    CHECK(*fold(node("Add"), {&m, &row}).floats == std::vector<float>{11, 22, 33, 14, 25, 36});
    const auto col = f32({2, 1}, {2, 3});
    CHECK(*fold(node("Mul"), {&m, &col}).floats == std::vector<float>{2, 4, 6, 12, 15, 18});
    const auto wrong = f32({2}, {1, 2});
    CHECK_THROWS_WITH(fold(node("Add"), {&m, &wrong}), Catch::Contains("cannot be broadcast"));
    const auto seven = i64({}, {7}), two = i64({}, {2});
    CHECK(fold(node("Div"), {&seven, &two}).asInts() == std::vector<std::int64_t>{3});
}

TEST_CASE("dequantisation gives float weights per tensor and per axis", "[onnx][fold]")
{
    const auto q = OnnxTensor::fromInts({2, 2}, {-128, 0, 10, 20}, OnnxElementType::Int8);
    const auto scale = f32({}, {0.5f});
    const auto zero = OnnxTensor::fromInts({}, {0}, OnnxElementType::Int8);
    CHECK(*fold(node("DequantizeLinear"), {&q, &scale, &zero}).floats == std::vector<float>{-64, 0, 5, 10});
    OnnxNode perAxis = node("DequantizeLinear");
    perAxis.attributes["axis"] = integer(0);
    const auto scales = f32({2}, {1.0f, 0.1f});
    const auto zeros = OnnxTensor::fromInts({2}, {0, 10}, OnnxElementType::Int8);
    const auto out = fold(perAxis, {&q, &scales, &zeros});
    CHECK((*out.floats)[0] == Approx(-128));
    CHECK((*out.floats)[3] == Approx(1.0));
}

TEST_CASE("folding refuses constants beyond the limit instead of allocating them", "[onnx][fold]")
{
    const auto huge = i64({2}, {1 << 20, 1 << 20});
    CHECK_THROWS_WITH(fold(node("ConstantOfShape"), {&huge}), Catch::Contains("the limit is"));
    const auto start = i64({}, {0}), limit = i64({}, {INT64_MAX / 2}), delta = i64({}, {1});
    CHECK_THROWS_WITH(fold(node("Range"), {&start, &limit, &delta}), Catch::Contains("limit"));
}
