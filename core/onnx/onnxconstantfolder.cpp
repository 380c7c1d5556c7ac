#include "core/onnx/onnxconstantfolder.h"

#include "core/onnx/onnxtensorops.h"

#include "core/onnx/onnxreader.h"
#include "core/util/checkedmath.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace cdx {

namespace {

using namespace onnxtensor;

[[noreturn]] void fail(const std::string& message) { throw InputError({}, message); }

const OnnxTensor& input(const std::vector<const OnnxTensor*>& inputs, std::size_t i, const char* what)
{
    if (i >= inputs.size() || !inputs[i])
        fail(std::string("missing input ") + what);
    if (!inputs[i]->hasData())
        fail(std::string("input ") + what + " has no values the tool can read");
    return *inputs[i];
}

bool present(const std::vector<const OnnxTensor*>& inputs, std::size_t i)
{
    return i < inputs.size() && inputs[i] != nullptr;
}


OnnxTensor binary(const OnnxNode& node, const std::vector<const OnnxTensor*>& inputs)
{
    const std::string& op = node.opType;
    std::vector<const OnnxTensor*> in;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        in.push_back(&input(inputs, i, "operand"));
    // Sum, Max, Min and Mean take one or more operands, Where three, the others two.
    const bool variadic = op == "Sum" || op == "Max" || op == "Min" || op == "Mean";
    const std::size_t arity = op == "Where" ? 3 : 2;
    if (variadic ? in.empty() : in.size() != arity)
        fail(op + " takes " + (variadic ? std::string("one or more operands") : std::to_string(arity) + " operands") + ", not " +
             std::to_string(in.size()));
    const bool isFloat = anyFloat(in);
    const OnnxElementType type = isFloat ? OnnxElementType::Float : in[0]->type;
    const bool comparison = op == "Equal" || op == "Less" || op == "Greater" || op == "LessOrEqual" ||
                            op == "GreaterOrEqual" || op == "And" || op == "Or" || op == "Xor";
    if (comparison) {
        return elementwise(in, false, OnnxElementType::Bool, [&](const std::vector<double>& a) -> double {
            if (op == "Equal") return a[0] == a[1];
            if (op == "Less") return a[0] < a[1];
            if (op == "Greater") return a[0] > a[1];
            if (op == "LessOrEqual") return a[0] <= a[1];
            if (op == "GreaterOrEqual") return a[0] >= a[1];
            if (op == "And") return (a[0] != 0) && (a[1] != 0);
            if (op == "Or") return (a[0] != 0) || (a[1] != 0);
            return (a[0] != 0) != (a[1] != 0);
        });
    }
    return elementwise(in, isFloat, type, [&](const std::vector<double>& a) -> double {
        if (op == "Add" || op == "Sum") {
            double s = 0;
            for (double x : a) s += x;
            return s;
        }
        if (op == "Mean") {
            double s = 0;
            for (double x : a) s += x;
            return s / static_cast<double>(a.size());
        }
        if (op == "Sub") return a[0] - a[1];
        if (op == "Mul") return a[0] * a[1];
        if (op == "Div") {
            if (!isFloat && a[1] == 0)
                fail("integer division by zero");
            return isFloat ? a[0] / a[1] : std::trunc(a[0] / a[1]);
        }
        if (op == "Pow") return std::pow(a[0], a[1]);
        if (op == "Mod") {
            if (a[1] == 0)
                fail("modulo by zero");
            return std::fmod(a[0], a[1]);
        }
        if (op == "Max") return *std::max_element(a.begin(), a.end());
        if (op == "Min") return *std::min_element(a.begin(), a.end());
        if (op == "Where") return a[0] != 0 ? a[1] : a[2];
        fail("cannot fold " + op);
    });
}

OnnxTensor unary(const OnnxNode& node, const OnnxTensor& t)
{
    const std::string& op = node.opType;
    const bool isFloat = t.isFloat() || op == "Sqrt" || op == "Exp" || op == "Log" || op == "Reciprocal" || op == "Sigmoid";
    const OnnxElementType type = op == "Not" ? OnnxElementType::Bool : (isFloat ? OnnxElementType::Float : t.type);
    return elementwise({&t}, isFloat && op != "Not", type, [&](const std::vector<double>& a) -> double {
        const double x = a[0];
        if (op == "Neg") return -x;
        if (op == "Abs") return std::abs(x);
        if (op == "Sqrt") return std::sqrt(x);
        if (op == "Reciprocal") return 1.0 / x;
        if (op == "Exp") return std::exp(x);
        if (op == "Log") return std::log(x);
        if (op == "Floor") return std::floor(x);
        if (op == "Ceil") return std::ceil(x);
        if (op == "Round") return std::nearbyint(x);
        if (op == "Sign") return (x > 0) - (x < 0);
        if (op == "Not") return x == 0;
        if (op == "Relu") return std::max(x, 0.0);
        if (op == "Sigmoid") return 1.0 / (1.0 + std::exp(-x));
        fail("cannot fold " + op);
    });
}

std::vector<std::int64_t> axesFrom(const OnnxNode& node, const std::vector<const OnnxTensor*>& inputs, std::size_t index,
                                   std::int64_t opset, std::int64_t inputSince)
{
    if (opset >= inputSince)
        return present(inputs, index) ? input(inputs, index, "axes").asInts() : std::vector<std::int64_t>{};
    return node.intsAttr("axes");
}

OnnxTensor reduce(const OnnxNode& node, const OnnxTensor& t, std::vector<std::int64_t> axes)
{
    const bool keep = node.intAttr("keepdims", 1) != 0;
    std::set<std::size_t> reduced;
    for (auto a : axes) reduced.insert(axisOf(a, t.dims.size(), node.opType.c_str()));
    if (axes.empty())
        for (std::size_t d = 0; d < t.dims.size(); ++d) reduced.insert(d);
    Shape dims;
    for (std::size_t d = 0; d < t.dims.size(); ++d)
        if (!reduced.count(d))
            dims.push_back(t.dims[d]);
        else if (keep)
            dims.push_back(1);
    Shape full;  // output coordinates with reduced axes kept, to index accumulators
    for (std::size_t d = 0; d < t.dims.size(); ++d) full.push_back(reduced.count(d) ? 1 : t.dims[d]);
    const std::size_t n = checkedSize(full);
    const std::string& op = node.opType;
    std::vector<double> acc(n, op == "ReduceProd" ? 1.0 : op == "ReduceMax" ? -INFINITY : op == "ReduceMin" ? INFINITY : 0.0);
    std::vector<Dim> count(n, 0);
    const auto inStrides = stridesOf(t.dims);
    const auto fullStrides = stridesOf(full);
    const std::size_t total = static_cast<std::size_t>(t.size());
    for (std::size_t i = 0; i < total; ++i) {
        Dim rest = static_cast<Dim>(i), index = 0;
        for (std::size_t d = 0; d < t.dims.size(); ++d) {
            const Dim c = rest / inStrides[d];
            rest %= inStrides[d];
            if (!reduced.count(d))
                index += c * fullStrides[d];
        }
        const double x = t.value(i);
        double& a = acc[static_cast<std::size_t>(index)];
        if (op == "ReduceProd") a *= x;
        else if (op == "ReduceMax") a = std::max(a, x);
        else if (op == "ReduceMin") a = std::min(a, x);
        else a += x;
        ++count[static_cast<std::size_t>(index)];
    }
    Builder out(dims, t.isFloat() || op == "ReduceMean", t.isFloat() || op == "ReduceMean" ? OnnxElementType::Float : t.type);
    for (std::size_t i = 0; i < n; ++i)
        out.push(op == "ReduceMean" && count[i] > 0 ? acc[i] / static_cast<double>(count[i]) : acc[i]);
    return out.done();
}

OnnxTensor dequantize(const OnnxNode& node, const std::vector<const OnnxTensor*>& inputs)
{
    const OnnxTensor& x = input(inputs, 0, "x");
    const OnnxTensor& scale = input(inputs, 1, "x_scale");
    const OnnxTensor* zero = present(inputs, 2) ? &input(inputs, 2, "x_zero_point") : nullptr;
    const std::size_t n = static_cast<std::size_t>(x.size());
    std::vector<float> v(n);
    if (scale.size() == 1) {
        const double s = scale.value(0), z = zero ? zero->value(0) : 0.0;
        for (std::size_t i = 0; i < n; ++i)
            v[i] = static_cast<float>((x.value(i) - z) * s);
    } else {
        // Per-axis: scale and zero point run along `axis`.
        const std::size_t axis = axisOf(node.intAttr("axis", 1), x.dims.size(), "DequantizeLinear");
        if (scale.size() != x.dims[axis])
            fail("DequantizeLinear scale has " + std::to_string(scale.size()) + " values for an axis of " +
                 std::to_string(x.dims[axis]));
        Dim inner = 1;
        for (std::size_t d = axis + 1; d < x.dims.size(); ++d) inner *= x.dims[d];
        for (std::size_t i = 0; i < n; ++i) {
            const auto c = static_cast<std::size_t>((static_cast<Dim>(i) / inner) % x.dims[axis]);
            v[i] = static_cast<float>((x.value(i) - (zero ? zero->value(c) : 0.0)) * scale.value(c));
        }
    }
    return OnnxTensor::fromFloats(x.dims, std::move(v));
}

std::vector<OnnxTensor> split(const OnnxNode& node, const std::vector<const OnnxTensor*>& inputs, std::int64_t opset)
{
    const OnnxTensor& t = input(inputs, 0, "input");
    const std::size_t axis = axisOf(node.intAttr("axis", 0), t.dims.size(), "Split");
    std::vector<std::int64_t> sizes = opset >= 13 ? (present(inputs, 1) ? input(inputs, 1, "split").asInts()
                                                                        : std::vector<std::int64_t>{})
                                                  : node.intsAttr("split");
    const auto parts = static_cast<Dim>(node.outputs.size());
    if (sizes.empty()) {
        if (parts == 0 || t.dims[axis] % parts != 0)
            fail("Split cannot divide the axis equally");
        sizes.assign(static_cast<std::size_t>(parts), t.dims[axis] / parts);
    }
    std::vector<OnnxTensor> out;
    std::int64_t start = 0;
    for (auto s : sizes) {
        out.push_back(slice(t, {start}, {start + s}, {static_cast<std::int64_t>(axis)}, {}));
        start += s;
    }
    return out;
}

}  // namespace

Shape broadcastOrFail(const Shape& a, const Shape& b)
{
    const std::size_t rank = std::max(a.size(), b.size());
    Shape out(rank, 1);
    for (std::size_t i = 0; i < rank; ++i) {
        const Dim da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const Dim db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            fail("shapes " + formatShape(a) + " and " + formatShape(b) + " cannot be broadcast together");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

OnnxTensor constantNodeValue(const OnnxNode& node)
{
    if (const auto* a = node.attribute("value"); a && a->tensor)
        return *a->tensor;
    if (const auto* a = node.attribute("value_float"))
        return OnnxTensor::fromFloats({}, {static_cast<float>(a->f)});
    if (const auto* a = node.attribute("value_floats")) {
        std::vector<float> v(a->floats.begin(), a->floats.end());
        return OnnxTensor::fromFloats({static_cast<Dim>(v.size())}, std::move(v));
    }
    if (const auto* a = node.attribute("value_int"))
        return OnnxTensor::fromInts({}, {a->i});
    if (const auto* a = node.attribute("value_ints"))
        return OnnxTensor::fromInts({static_cast<Dim>(a->ints.size())}, a->ints);
    fail("Constant node without a value the tool reads (sparse and string constants are not supported)");
}

bool isFoldableOnnxOp(const OnnxNode& node)
{
    if (!node.domain.empty())
        return false;
    static const std::set<std::string> ops{
        "Identity", "Cast", "CastLike", "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Reshape", "Flatten",
        "Transpose", "Concat", "Slice", "Split", "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean",
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Not", "Neg", "Abs", "Sqrt",
        "Reciprocal", "Exp", "Log", "Floor", "Ceil", "Round", "Sign", "Where", "ConstantOfShape", "Range", "Expand",
        "Tile", "ReduceProd", "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "DequantizeLinear", "Clip",
        "Dropout", "Relu", "Sigmoid"};
    return ops.count(node.opType) > 0;
}

std::vector<OnnxTensor> foldOnnxNode(const OnnxNode& node, const std::vector<const OnnxTensor*>& inputs,
                                     std::int64_t opset)
{
    const std::string& op = node.opType;
    if (op == "Identity" || op == "Dropout")
        return {input(inputs, 0, "input")};
    if (op == "Cast")
        return {castTo(input(inputs, 0, "input"), static_cast<OnnxElementType>(node.intAttr("to", 1)))};
    if (op == "CastLike")
        return {castTo(input(inputs, 0, "input"), input(inputs, 1, "target_type").type)};
    if (op == "Shape" || op == "Size") {
        const OnnxTensor& t = *inputs.at(0);  // only the shape is needed, values may be absent
        if (op == "Size")
            return {OnnxTensor::fromInts({}, {t.size()})};
        const auto rank = static_cast<std::int64_t>(t.dims.size());
        auto clampEnd = [&](std::int64_t v) { return std::clamp(v < 0 ? v + rank : v, std::int64_t{0}, rank); };
        const std::int64_t start = clampEnd(node.intAttr("start", 0));
        const std::int64_t end = clampEnd(node.intAttr("end", rank));
        std::vector<std::int64_t> dims;
        for (std::int64_t d = start; d < end; ++d) dims.push_back(t.dims[static_cast<std::size_t>(d)]);
        return {OnnxTensor::fromInts({static_cast<Dim>(dims.size())}, dims)};
    }
    if (op == "Gather")
        return {gather(input(inputs, 0, "data"), input(inputs, 1, "indices"), node.intAttr("axis", 0))};
    if (op == "Unsqueeze")
        return {unsqueeze(input(inputs, 0, "data"), axesFrom(node, inputs, 1, opset, 13))};
    if (op == "Squeeze")
        return {squeeze(input(inputs, 0, "data"), axesFrom(node, inputs, 1, opset, 13))};
    if (op == "Reshape") {
        const OnnxTensor& t = input(inputs, 0, "data");
        return {withDims(t, reshapeTarget(t.dims, input(inputs, 1, "shape").asInts(), node.intAttr("allowzero", 0) != 0))};
    }
    if (op == "Flatten") {
        const OnnxTensor& t = input(inputs, 0, "input");
        const auto rank = static_cast<std::int64_t>(t.dims.size());
        std::int64_t axis = node.intAttr("axis", 1);
        if (axis < 0) axis += rank;
        if (axis < 0 || axis > rank)
            fail("Flatten axis is out of range");
        Dim outer = 1;
        for (std::int64_t d = 0; d < axis; ++d) outer *= t.dims[static_cast<std::size_t>(d)];
        return {withDims(t, {outer, t.size() / std::max<Dim>(outer, 1)})};
    }
    if (op == "Transpose")
        return {transpose(input(inputs, 0, "data"), node.intsAttr("perm"))};
    if (op == "Concat") {
        std::vector<const OnnxTensor*> in;
        for (std::size_t i = 0; i < inputs.size(); ++i) in.push_back(&input(inputs, i, "operand"));
        return {concat(in, node.intAttr("axis", 0))};
    }
    if (op == "Slice") {
        const OnnxTensor& t = input(inputs, 0, "data");
        if (opset < 10)
            return {slice(t, node.intsAttr("starts"), node.intsAttr("ends"), node.intsAttr("axes"), {})};
        return {slice(t, input(inputs, 1, "starts").asInts(), input(inputs, 2, "ends").asInts(),
                      present(inputs, 3) ? input(inputs, 3, "axes").asInts() : std::vector<std::int64_t>{},
                      present(inputs, 4) ? input(inputs, 4, "steps").asInts() : std::vector<std::int64_t>{})};
    }
    if (op == "Split")
        return split(node, inputs, opset);
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow" || op == "Mod" || op == "Max" ||
        op == "Min" || op == "Sum" || op == "Mean" || op == "Equal" || op == "Less" || op == "Greater" ||
        op == "LessOrEqual" || op == "GreaterOrEqual" || op == "And" || op == "Or" || op == "Xor" || op == "Where")
        return {binary(node, inputs)};
    if (op == "Not" || op == "Neg" || op == "Abs" || op == "Sqrt" || op == "Reciprocal" || op == "Exp" || op == "Log" ||
        op == "Floor" || op == "Ceil" || op == "Round" || op == "Sign" || op == "Relu" || op == "Sigmoid")
        return {unary(node, input(inputs, 0, "input"))};
    if (op == "Clip") {
        const OnnxTensor& t = input(inputs, 0, "input");
        const double lo = opset >= 11 ? (present(inputs, 1) ? input(inputs, 1, "min").value(0) : -INFINITY)
                                      : node.floatAttr("min", -INFINITY);
        const double hi = opset >= 11 ? (present(inputs, 2) ? input(inputs, 2, "max").value(0) : INFINITY)
                                      : node.floatAttr("max", INFINITY);
        return {elementwise({&t}, t.isFloat(), t.type, [&](const std::vector<double>& a) { return std::clamp(a[0], lo, hi); })};
    }
    if (op == "ConstantOfShape") {
        Shape dims;
        for (auto d : input(inputs, 0, "shape").asInts()) dims.push_back(d);
        OnnxTensor fill = OnnxTensor::fromFloats({1}, {0.0f});
        if (const auto* a = node.attribute("value"); a && a->tensor && a->tensor->hasData())
            fill = *a->tensor;
        Builder out(dims, fill.isFloat(), fill.type);
        const std::size_t n = checkedSize(dims);
        for (std::size_t i = 0; i < n; ++i) out.push(fill.value(0));
        return {out.done()};
    }
    if (op == "Range") {
        const OnnxTensor& start = input(inputs, 0, "start");
        const double s = start.value(0), limit = input(inputs, 1, "limit").value(0), delta = input(inputs, 2, "delta").value(0);
        if (delta == 0)
            fail("Range delta is 0");
        const double count = std::max(std::ceil((limit - s) / delta), 0.0);
        if (count > static_cast<double>(kMaxOnnxFoldedElements))
            fail("Range would have more elements than the limit");
        Builder out({static_cast<Dim>(count)}, start.isFloat(), start.type);
        for (Dim i = 0; i < static_cast<Dim>(count); ++i) out.push(s + static_cast<double>(i) * delta);
        return {out.done()};
    }
    if (op == "Expand") {
        const OnnxTensor& t = input(inputs, 0, "input");
        Shape target;
        for (auto d : input(inputs, 1, "shape").asInts()) target.push_back(d);
        const OnnxTensor shapeOnly = OnnxTensor::fromInts(broadcastOrFail(t.dims, target),
                                                          std::vector<std::int64_t>(checkedSize(broadcastOrFail(t.dims, target)), 0));
        return {elementwise({&t, &shapeOnly}, t.isFloat(), t.type, [](const std::vector<double>& a) { return a[0]; })};
    }
    if (op == "Tile") {
        const OnnxTensor& t = input(inputs, 0, "input");
        const auto repeats = input(inputs, 1, "repeats").asInts();
        if (repeats.size() != t.dims.size())
            fail("Tile repeats do not match the rank");
        std::vector<const OnnxTensor*> parts;
        OnnxTensor current = t;
        for (std::size_t d = 0; d < repeats.size(); ++d) {
            std::vector<const OnnxTensor*> copies(static_cast<std::size_t>(std::max<std::int64_t>(repeats[d], 0)), &current);
            if (copies.empty())
                fail("Tile repeat of 0");
            current = concat(copies, static_cast<std::int64_t>(d));
        }
        return {current};
    }
    if (op.rfind("Reduce", 0) == 0)
        return {reduce(node, input(inputs, 0, "data"),
                       axesFrom(node, inputs, 1, opset, op == "ReduceSum" ? 13 : 18))};
    if (op == "DequantizeLinear")
        return {dequantize(node, inputs)};
    fail("cannot fold " + op);
}

}  // namespace cdx
